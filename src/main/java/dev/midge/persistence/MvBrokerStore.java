package dev.midge.persistence;

import dev.midge.config.MidgeConfig;
import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.jboss.logging.Logger;

/**
 * The store on disk: one H2 MVStore file, {@code midge.mv.db} in {@code midge.persistence.dir}, with one map
 * per kind of record. Only the {@link GroupCommitWriter} thread touches the maps once the store is open.
 *
 * <p>Keys that belong to a session start with its client id, length-prefixed ({@code "5:alice"}), so that one
 * client's records are a contiguous key range and no client id can be the prefix of another's.
 */
public final class MvBrokerStore implements BrokerStore {

    private static final Logger LOG = Logger.getLogger(MvBrokerStore.class);
    static final String FILE_NAME = "midge.mv.db";

    private final Path dir;
    private final Path file;
    private final MidgeConfig.Persistence config;
    private final AtomicLong nextOutboundId = new AtomicLong(1);
    private final GroupCommitWriter writer;

    private MVStore store;
    private MVMap<String, byte[]> retained;
    private MVMap<String, byte[]> sessions;
    private MVMap<String, byte[]> subscriptions;
    private MVMap<String, Boolean> awaiting;
    private MVMap<String, byte[]> wills;
    private MVMap<Long, byte[]> outbound;
    private MVMap<Long, Long> progress;

    /** Writer thread only: the last message encoded, as fan-out stores the same message many times in a row. */
    private Message lastEncoded;
    private byte[] lastEncodedBytes;

    /**
     * Writer thread only: outbound entries and their progress changed since the last commit, written to the maps
     * just before it. A message acknowledged before the next commit (most, while subscribers keep up) is then
     * never encoded or written at all.
     */
    private final LinkedHashMap<Long, PendingOutbound> pendingOutbound = new LinkedHashMap<>();
    private final Map<Long, Long> pendingProgress = new HashMap<>();

    private record PendingOutbound(String clientId, Message message, Delivery delivery) {
    }

    public MvBrokerStore(MidgeConfig.Persistence config, LongConsumer commitNanos) {
        this.config = config;
        this.dir = Path.of(config.dir());
        this.file = dir.resolve(FILE_NAME);
        this.writer = new GroupCommitWriter(new Storage(), config.sync(), config.flushInterval(),
                config.compactInterval(), commitNanos);
    }

    @Override
    public boolean isEnabled() {
        return true;
    }

    @Override
    public Recovered open() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create the persistence directory " + dir
                    + " (midge.persistence.dir): " + e, e);
        }
        Recovered recovered;
        try {
            recovered = openAndLoad();
        } catch (RuntimeException e) {
            closeQuietly();
            if (isLocked(e)) {
                throw new IllegalStateException("The store " + file + " is in use by another process"
                        + " (midge.persistence.dir): " + e.getMessage(), e);
            }
            if (config.onCorruption() != MidgeConfig.Persistence.OnCorruption.QUARANTINE) {
                throw new IllegalStateException("The store " + file + " cannot be read: " + e.getMessage()
                        + ". Restore it from a backup, or set midge.persistence.on-corruption=quarantine to move it"
                        + " aside and start empty", e);
            }
            Path aside = quarantine();
            LOG.errorf(e, "The store %s cannot be read; moved it to %s and started with an empty store", file, aside);
            recovered = openAndLoad();
        }
        writer.start();
        return recovered;
    }

    private static boolean isLocked(RuntimeException e) {
        return e instanceof MVStoreException mv && mv.getErrorCode() == DataUtils.ERROR_FILE_LOCKED;
    }

    private Path quarantine() {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path aside = dir.resolve(FILE_NAME + ".corrupt-" + stamp);
        try {
            Files.move(file, aside);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot move the unreadable store " + file + " aside: " + e, e);
        }
        return aside;
    }

    private void closeQuietly() {
        if (store != null) {
            try {
                store.closeImmediately();
            } catch (RuntimeException ignored) {
                // Already broken; the file is what matters.
            }
            store = null;
        }
    }

    private Recovered openAndLoad() {
        store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        retained = store.openMap("retained");
        sessions = store.openMap("sessions");
        subscriptions = store.openMap("subscriptions");
        awaiting = store.openMap("awaiting");
        wills = store.openMap("wills");
        outbound = store.openMap("outbound");
        progress = store.openMap("progress");
        Recovered recovered = load(System.currentTimeMillis());
        store.commit();
        return recovered;
    }

    /** Reads every record, dropping what expired and what no session owns any more. */
    private Recovered load(long now) {
        List<Message> retainedMessages = new ArrayList<>();
        for (Iterator<Map.Entry<String, byte[]>> it = retained.entrySet().iterator(); it.hasNext();) {
            Message m = RecordCodec.message(it.next().getValue());
            if (m.isExpired(now)) {
                retained.remove(m.topic());
            } else {
                retainedMessages.add(m);
            }
        }
        Map<String, SessionParts> parts = new LinkedHashMap<>();
        sessions.forEach((clientId, record) -> parts.put(clientId, new SessionParts(RecordCodec.session(record))));
        List<String> orphans = new ArrayList<>();
        subscriptions.forEach((key, record) -> {
            SessionParts p = parts.get(clientIdOf(key));
            if (p == null) {
                orphans.add(key);
            } else {
                p.subscriptions.put(key.substring(prefix(clientIdOf(key)).length()), RecordCodec.subscription(record));
            }
        });
        orphans.forEach(subscriptions::remove);
        orphans.clear();
        awaiting.forEach((key, unused) -> {
            SessionParts p = parts.get(clientIdOf(key));
            if (p == null) {
                orphans.add(key);
            } else {
                p.awaiting.add(Integer.parseInt(key.substring(prefix(clientIdOf(key)).length())));
            }
        });
        orphans.forEach(awaiting::remove);
        orphans.clear();
        wills.forEach((clientId, record) -> {
            SessionParts p = parts.get(clientId);
            if (p == null) {
                orphans.add(clientId);
            } else {
                RecordCodec.Will w = RecordCodec.will(record);
                p.will = new Recovered.StoredWill(w.message(), w.publishAt());
            }
        });
        orphans.forEach(wills::remove);
        List<Long> dropped = new ArrayList<>();
        long lastId = 0;
        for (Map.Entry<Long, byte[]> e : outbound.entrySet()) {
            lastId = Math.max(lastId, e.getKey());
            RecordCodec.Outbound o = RecordCodec.outbound(e.getValue());
            SessionParts p = parts.get(o.clientId());
            if (p == null || o.message().isExpired(now)) {
                dropped.add(e.getKey());
                continue;
            }
            long state = progress.getOrDefault(e.getKey(), 0L);
            p.outbound.add(new Recovered.StoredOutbound(e.getKey(), o.message(), o.delivery(),
                    RecordCodec.progressPacketId(state), RecordCodec.progressReleased(state)));
        }
        dropped.forEach(id -> {
            outbound.remove(id);
            progress.remove(id);
        });
        for (Long id : new ArrayList<>(progress.keySet())) {
            if (!outbound.containsKey(id)) {
                progress.remove(id);
            }
        }
        nextOutboundId.set(lastId + 1);
        List<Recovered.StoredSession> stored = new ArrayList<>();
        parts.forEach((clientId, p) -> stored.add(new Recovered.StoredSession(clientId, p.session.expiryInterval(),
                p.session.disconnectedAt(), p.subscriptions, p.outbound, p.awaiting, p.will)));
        return new Recovered(retainedMessages, stored);
    }

    private static final class SessionParts {
        final RecordCodec.Session session;
        final Map<String, SubscriptionOptions> subscriptions = new HashMap<>();
        final List<Recovered.StoredOutbound> outbound = new ArrayList<>();
        final java.util.Set<Integer> awaiting = new HashSet<>();
        Recovered.StoredWill will;

        SessionParts(RecordCodec.Session session) {
            this.session = session;
        }
    }

    static String prefix(String clientId) {
        return clientId.length() + ":" + clientId;
    }

    static String clientIdOf(String key) {
        int colon = key.indexOf(':');
        int length = Integer.parseInt(key.substring(0, colon));
        return key.substring(colon + 1, colon + 1 + length);
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

    private byte[] encode(Message message) {
        if (message != lastEncoded) {
            lastEncodedBytes = RecordCodec.message(message);
            lastEncoded = message;
        }
        return lastEncodedBytes;
    }

    @Override
    public void putRetained(Message message) {
        writer.submit(() -> retained.put(message.topic(), encode(message)));
    }

    @Override
    public void removeRetained(String topic) {
        writer.submit(() -> retained.remove(topic));
    }

    @Override
    public void putSession(String clientId, long expiryInterval, long disconnectedAt) {
        writer.submit(() -> sessions.put(clientId, RecordCodec.session(expiryInterval, disconnectedAt)));
    }

    @Override
    public void removeSession(String clientId) {
        writer.submit(() -> {
            sessions.remove(clientId);
            wills.remove(clientId);
            removeRange(subscriptions, prefix(clientId));
            removeRange(awaiting, prefix(clientId));
        });
    }

    @Override
    public void putSubscription(String clientId, String filter, SubscriptionOptions options) {
        writer.submit(() -> subscriptions.put(prefix(clientId) + filter, RecordCodec.subscription(options)));
    }

    @Override
    public void removeSubscription(String clientId, String filter) {
        writer.submit(() -> subscriptions.remove(prefix(clientId) + filter));
    }

    @Override
    public long newOutboundId() {
        return nextOutboundId.getAndIncrement();
    }

    @Override
    public void addOutbound(long id, String clientId, Message message, Delivery delivery) {
        writer.submit(() -> pendingOutbound.put(id, new PendingOutbound(clientId, message, delivery)));
    }

    @Override
    public void updateOutbound(long id, int packetId, boolean released) {
        writer.submit(() -> {
            if (pendingOutbound.containsKey(id) || outbound.containsKey(id)) {
                pendingProgress.put(id, RecordCodec.progress(packetId, released));
            }
        });
    }

    @Override
    public void removeOutbound(long id) {
        writer.submit(() -> {
            pendingProgress.remove(id);
            if (pendingOutbound.remove(id) == null) {
                outbound.remove(id);
                progress.remove(id);
            }
        });
    }

    /** Writes the outbound changes held back since the last commit. */
    private void writePending() {
        pendingOutbound.forEach((id, o) -> outbound.put(id, RecordCodec.outbound(o.clientId(), o.delivery(),
                encode(o.message()))));
        pendingOutbound.clear();
        pendingProgress.forEach(progress::put);
        pendingProgress.clear();
    }

    @Override
    public void addAwaitingRelease(String clientId, int packetId) {
        writer.submit(() -> awaiting.put(prefix(clientId) + packetId, Boolean.TRUE));
    }

    @Override
    public void removeAwaitingRelease(String clientId, int packetId) {
        writer.submit(() -> awaiting.remove(prefix(clientId) + packetId));
    }

    @Override
    public void putWill(String clientId, Message will, long publishAt) {
        writer.submit(() -> wills.put(clientId, RecordCodec.will(will, publishAt)));
    }

    @Override
    public void removeWill(String clientId) {
        writer.submit(() -> wills.remove(clientId));
    }

    @Override
    public long changesByThisThread() {
        return writer.changesByThisThread();
    }

    @Override
    public void whenDurable(Runnable callback) {
        writer.whenDurable(callback);
    }

    @Override
    public void close() {
        if (store == null) {
            return;
        }
        try {
            writer.close(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            store.close(200);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Closing the store %s failed", file);
        }
        store = null;
    }

    @Override
    public StoreStatus status() {
        long size = 0;
        try {
            size = Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException ignored) {
            // Reported as 0.
        }
        String error = writer.lastError();
        return new StoreStatus(true, file.toString(), config.sync().name().toLowerCase(), error == null, error,
                writer.pendingChanges(), writer.commits(), size);
    }

    /** The writer's view of the file. */
    private final class Storage implements GroupCommitWriter.Storage {
        @Override
        public void commit(boolean force) {
            writePending();
            store.commit();
            if (force) {
                store.sync();
            }
        }

        @Override
        public void maintain() {
            writePending();
            long now = System.currentTimeMillis();
            List<String> expiredTopics = new ArrayList<>();
            retained.forEach((topic, record) -> {
                if (isExpired(record, now)) {
                    expiredTopics.add(topic);
                }
            });
            expiredTopics.forEach(retained::remove);
            List<Long> expired = new ArrayList<>();
            outbound.forEach((id, record) -> {
                long expiresAt = RecordCodec.outboundExpiresAt(record);
                if (expiresAt != 0 && now >= expiresAt) {
                    expired.add(id);
                }
            });
            expired.forEach(id -> {
                outbound.remove(id);
                progress.remove(id);
            });
            store.commit();
            store.compact(50, 16 << 20);
        }

        private boolean isExpired(byte[] record, long now) {
            long expiresAt = RecordCodec.expiresAt(record);
            return expiresAt != 0 && now >= expiresAt;
        }
    }
}
