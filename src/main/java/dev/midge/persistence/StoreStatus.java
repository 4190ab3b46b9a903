package dev.midge.persistence;

/**
 * The store at a glance.
 *
 * @param healthy false while writes are failing (acknowledgements that wait for them are held back)
 * @param lastError the latest write failure, or null
 * @param pendingChanges changes made and not yet written
 * @param commits writes to disk so far
 * @param fileBytes size of the store's file, 0 when there is none
 */
public record StoreStatus(boolean enabled, String location, String sync, boolean healthy, String lastError,
        long pendingChanges, long commits, long fileBytes) {
}
