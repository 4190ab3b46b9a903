package dev.midge.persistence;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * The open H2 MVStore file and its maps, one per kind of record, and the layout of their keys. Keys that belong
 * to a session start with its client id, length-prefixed ({@code "5:alice"}), so that one client's records
 * are a contiguous key range and no client id can be the prefix of another's.
 */
final class StoreMaps {

    final MVStore store;
    final MVMap<String, byte[]> retained;
    final MVMap<String, byte[]> sessions;
    final MVMap<String, byte[]> subscriptions;
    final MVMap<String, Boolean> awaiting;
    final MVMap<String, byte[]> wills;
    final MVMap<Long, byte[]> outbound;
    final MVMap<Long, Long> progress;

    StoreMaps(Path file) {
        store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        retained = store.openMap("retained");
        sessions = store.openMap("sessions");
        subscriptions = store.openMap("subscriptions");
        awaiting = store.openMap("awaiting");
        wills = store.openMap("wills");
        outbound = store.openMap("outbound");
        progress = store.openMap("progress");
    }

    static String prefix(String clientId) {
        return clientId.length() + ":" + clientId;
    }

    static String clientIdOf(String key) {
        int colon = key.indexOf(':');
        int length = Integer.parseInt(key.substring(0, colon));
        return key.substring(colon + 1, colon + 1 + length);
    }

    /** Everything stored for one client, but its outbound messages (removed one by one as they are acknowledged). */
    void removeClient(String clientId) {
        sessions.remove(clientId);
        wills.remove(clientId);
        removeRange(subscriptions, prefix(clientId));
        removeRange(awaiting, prefix(clientId));
    }

    private static void removeRange(MVMap<String, ?> map, String prefix) {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = map.keyIterator(prefix); it.hasNext();) {
            String key = it.next();
            if (!key.startsWith(prefix)) {
                break;
            }
            keys.add(key);
        }
        keys.forEach(map::remove);
    }

    void removeOutbound(long id) {
        outbound.remove(id);
        progress.remove(id);
    }

    /** Drops the retained and outbound messages that expired by {@code now}. */
    void dropExpired(long now) {
        List<String> expiredTopics = new ArrayList<>();
        retained.forEach((topic, record) -> {
            if (isExpired(RecordCodec.expiresAt(record), now)) {
                expiredTopics.add(topic);
            }
        });
        expiredTopics.forEach(retained::remove);
        List<Long> expired = new ArrayList<>();
        outbound.forEach((id, record) -> {
            if (isExpired(RecordCodec.outboundExpiresAt(record), now)) {
                expired.add(id);
            }
        });
        expired.forEach(this::removeOutbound);
    }

    private static boolean isExpired(long expiresAt, long now) {
        return expiresAt != 0 && now >= expiresAt;
    }
}
