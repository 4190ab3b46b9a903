package dev.midge.limits;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Client ids that connect more than {@code max-count} times within {@code window} are banned for {@code ban}.
 * Counts a window from its first connection; keeps at most {@code max-tracked} ids, forgetting the one seen
 * longest ago first, and drops ids whose window and ban are over as it goes. Shared by all event loops: one
 * lock, taken once per CONNECT, never per message. A reload changes the settings under that lock.
 */
public final class FlappingTracker {

    /** Expired entries dropped per call at most, so one call never walks the whole map. */
    private static final int SWEEP = 8;

    private int maxCount;
    private long windowNanos;
    private long banNanos;
    private int maxTracked;
    private final LongSupplier nanoClock;
    private final LinkedHashMap<String, Entry> entries;

    public FlappingTracker(int maxCount, Duration window, Duration ban, int maxTracked, LongSupplier nanoClock) {
        this.maxCount = maxCount;
        this.windowNanos = window.toNanos();
        this.banNanos = ban.toNanos();
        this.maxTracked = maxTracked;
        this.nanoClock = nanoClock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > FlappingTracker.this.maxTracked;
            }
        };
    }

    /** New settings, from a reload; the connections counted and the bans in force stay. */
    public synchronized void reconfigure(int newMaxCount, Duration window, Duration ban, int newMaxTracked) {
        maxCount = newMaxCount;
        windowNanos = window.toNanos();
        banNanos = ban.toNanos();
        maxTracked = newMaxTracked;
    }

    /** Counts a connection of {@code clientId}; false when the id is banned, already or from this one on. */
    public synchronized boolean connected(String clientId) {
        long now = nanoClock.getAsLong();
        sweep(now);
        Entry entry = entries.get(clientId);
        if (entry == null || entry.isOver(now, windowNanos)) {
            entry = new Entry(now);
            entries.put(clientId, entry);
        }
        if (entry.isBanned(now)) {
            return false;
        }
        if (++entry.count > maxCount) {
            entry.banned = true;
            entry.bannedUntil = now + banNanos;
            return false;
        }
        return true;
    }

    /** Whether {@code clientId} is banned now; counts nothing. */
    public synchronized boolean isBanned(String clientId) {
        Entry entry = entries.get(clientId);
        return entry != null && entry.isBanned(nanoClock.getAsLong());
    }

    /** The bans in force, the longest-standing first. */
    public synchronized List<Ban> bans() {
        long now = nanoClock.getAsLong();
        List<Ban> bans = new ArrayList<>();
        entries.forEach((id, entry) -> {
            if (entry.isBanned(now)) {
                bans.add(new Ban(id, Duration.ofNanos(entry.bannedUntil - now)));
            }
        });
        return bans;
    }

    /** Lifts the ban of {@code clientId} and forgets its connections; false when it was not banned. */
    public synchronized boolean lift(String clientId) {
        Entry entry = entries.get(clientId);
        if (entry == null || !entry.isBanned(nanoClock.getAsLong())) {
            return false;
        }
        entries.remove(clientId);
        return true;
    }

    /** Client ids tracked now. */
    public synchronized int tracked() {
        return entries.size();
    }

    private void sweep(long now) {
        Iterator<Entry> eldest = entries.values().iterator();
        for (int i = 0; i < SWEEP && eldest.hasNext(); i++) {
            if (!eldest.next().isOver(now, windowNanos)) {
                return;
            }
            eldest.remove();
        }
    }

    /** A banned client id and how long its ban still lasts. */
    public record Ban(String clientId, Duration remaining) {
    }

    private static final class Entry {
        final long windowStart;
        int count;
        boolean banned;
        long bannedUntil;

        Entry(long windowStart) {
            this.windowStart = windowStart;
        }

        boolean isBanned(long now) {
            return banned && now - bannedUntil < 0;
        }

        /** Its window has passed and it is not banned: it may be forgotten. */
        boolean isOver(long now, long windowNanos) {
            return now - windowStart >= windowNanos && !isBanned(now);
        }
    }
}
