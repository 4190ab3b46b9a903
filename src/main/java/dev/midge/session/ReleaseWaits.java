package dev.midge.session;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * The session's incoming QoS 2 packet ids that were received and not yet released by PUBREL: a resend of one
 * is not delivered again. Each change goes to the session's journal. Confined to the session's loop.
 */
public final class ReleaseWaits {

    /** Shared and never written: what a session holds until its client first sends a QoS 2 message. */
    private static final Set<Integer> NONE_YET = Collections.emptySet();

    private final SessionJournal journal;
    private Set<Integer> ids = NONE_YET;

    ReleaseWaits(SessionJournal journal) {
        this.journal = journal;
    }

    /** Records an incoming QoS 2 packet id; false when it is a resend of one not yet released. */
    public boolean add(int packetId) {
        if (!writable().add(packetId)) {
            return false;
        }
        journal.addAwaitingRelease(packetId);
        return true;
    }

    public boolean contains(int packetId) {
        return ids.contains(packetId);
    }

    /** What counts against the server's Receive Maximum. */
    public int size() {
        return ids.size();
    }

    /** Forgets a packet id at its PUBREL; false when it was not awaiting release. */
    public boolean remove(int packetId) {
        if (!ids.remove(packetId)) {
            return false;
        }
        journal.removeAwaitingRelease(packetId);
        return true;
    }

    /** The session has just become durable: the journal gets every id it holds. */
    void journalAll() {
        ids.forEach(journal::addAwaitingRelease);
    }

    /** Ids read back from a store, already in it. */
    void restore(Set<Integer> stored) {
        writable().addAll(stored);
    }

    private Set<Integer> writable() {
        if (ids == NONE_YET) {
            ids = new HashSet<>();
        }
        return ids;
    }

    void clear() {
        ids.clear();
    }
}
