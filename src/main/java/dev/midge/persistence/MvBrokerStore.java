package dev.midge.persistence;

import dev.midge.config.PersistenceConfig;
import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.jboss.logging.Logger;

/**
 * The store on disk: one H2 MVStore file, {@code midge.mv.db} in {@code midge.persistence.dir}, with one map
 * per kind of record ({@link StoreMaps}), read back at start by {@link StoreLoader}. Only the
 * {@link GroupCommitWriter} thread touches the maps once the store is open.
 */
public final class MvBrokerStore implements BrokerStore {

    private static final Logger LOG = Logger.getLogger(MvBrokerStore.class);
    static final String FILE_NAME = "midge.mv.db";

    /** Written on the writer thread only, once the store is open: a SIGHUP may move it. */
    private volatile Path dir;
    private volatile Path file;
    private final PersistenceConfig config;
    private final AtomicLong nextOutboundId = new AtomicLong(1);
    private final GroupCommitWriter writer;

    /** Null while the store is not open. */
    private StoreMaps maps;

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

    public MvBrokerStore(PersistenceConfig config, LongConsumer commitNanos) {
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
            if (config.onCorruption() != PersistenceConfig.OnCorruption.QUARANTINE) {
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
        if (maps != null) {
            try {
                maps.store.closeImmediately();
            } catch (RuntimeException ignored) {
                // Already broken; the file is what matters.
            }
            maps = null;
        }
    }

    private Recovered openAndLoad() {
        maps = new StoreMaps(file);
        StoreLoader loader = new StoreLoader(maps, System.currentTimeMillis());
        Recovered recovered = loader.load();
        nextOutboundId.set(loader.lastOutboundId() + 1);
        maps.store.commit();
        return recovered;
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
        writer.submit(() -> maps.retained.put(message.topic(), encode(message)));
    }

    @Override
    public void removeRetained(String topic) {
        writer.submit(() -> maps.retained.remove(topic));
    }

    @Override
    public void putSession(String clientId, long expiryInterval, long disconnectedAt) {
        writer.submit(() -> maps.sessions.put(clientId, RecordCodec.session(expiryInterval, disconnectedAt)));
    }

    @Override
    public void removeSession(String clientId) {
        writer.submit(() -> maps.removeClient(clientId));
    }

    @Override
    public void putSubscription(String clientId, String filter, SubscriptionOptions options) {
        writer.submit(() -> maps.subscriptions.put(StoreMaps.prefix(clientId) + filter, RecordCodec.subscription(options)));
    }

    @Override
    public void removeSubscription(String clientId, String filter) {
        writer.submit(() -> maps.subscriptions.remove(StoreMaps.prefix(clientId) + filter));
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
            if (pendingOutbound.containsKey(id) || maps.outbound.containsKey(id)) {
                pendingProgress.put(id, RecordCodec.progress(packetId, released));
            }
        });
    }

    @Override
    public void removeOutbound(long id) {
        writer.submit(() -> {
            pendingProgress.remove(id);
            if (pendingOutbound.remove(id) == null) {
                maps.removeOutbound(id);
            }
        });
    }

    /** Writes the outbound changes held back since the last commit. */
    private void writePending() {
        pendingOutbound.forEach((id, o) -> maps.outbound.put(id, RecordCodec.outbound(o.clientId(), o.delivery(),
                encode(o.message()))));
        pendingOutbound.clear();
        pendingProgress.forEach(maps.progress::put);
        pendingProgress.clear();
    }

    @Override
    public void addAwaitingRelease(String clientId, int packetId) {
        writer.submit(() -> maps.awaiting.put(StoreMaps.prefix(clientId) + packetId, Boolean.TRUE));
    }

    @Override
    public void removeAwaitingRelease(String clientId, int packetId) {
        writer.submit(() -> maps.awaiting.remove(StoreMaps.prefix(clientId) + packetId));
    }

    @Override
    public void putWill(String clientId, Message will, long publishAt) {
        writer.submit(() -> maps.wills.put(clientId, RecordCodec.will(will, publishAt)));
    }

    @Override
    public void removeWill(String clientId) {
        writer.submit(() -> maps.wills.remove(clientId));
    }

    /**
     * Moves the store to another directory (a SIGHUP's {@code persistence_location}). On the writer thread,
     * after every change made before it, the file is written, copied there and opened, and only then the old one
     * closed, so that a failure leaves the store where it was; changes made meanwhile wait in the writer's queue,
     * and acknowledgements under {@code sync=always} wait for the copy. The calling thread waits for the outcome.
     *
     * @throws IllegalArgumentException when the directory holds a store already, or the copy cannot be made
     */
    @Override
    public void relocate(String directory) {
        Path to = Path.of(directory);
        if (to.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())) {
            return;
        }
        CompletableFuture<Void> moved = new CompletableFuture<>();
        if (!writer.submit(() -> {
            try {
                moveTo(to);
                moved.complete(null);
            } catch (RuntimeException e) {
                moved.completeExceptionally(e);
            }
        })) {
            throw new IllegalArgumentException("cannot move the store while it closes");
        }
        try {
            moved.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IllegalArgumentException refused ? refused
                    : new IllegalArgumentException(String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("interrupted while the store moved", e);
        }
    }

    /** Writer thread only. */
    private void moveTo(Path to) {
        Path copy = to.resolve(FILE_NAME);
        try {
            Files.createDirectories(to);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot be made: " + e, e);
        }
        if (Files.exists(copy)) {
            throw new IllegalArgumentException("holds a store already (" + copy + "): Midge does not merge stores");
        }
        writePending();
        maps.store.commit();
        StoreMaps opened;
        try {
            Files.copy(file, copy);
            opened = new StoreMaps(copy);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException ignored) {
                // What is left there is named in the message.
            }
            throw new IllegalArgumentException("cannot take a copy of " + file + ": " + e, e);
        }
        opened.store.sync();
        maps.store.close();
        LOG.infof("Store moved from %s to %s; the old file stays as it was at the move", file, copy);
        maps = opened;
        dir = to;
        file = copy;
    }

    @Override
    public void sync(PersistenceConfig.Sync sync) {
        writer.sync(sync);
    }

    @Override
    public void flushInterval(Duration interval) {
        writer.flushInterval(interval);
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
        if (maps == null) {
            return;
        }
        try {
            writer.close(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            maps.store.close(200);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Closing the store %s failed", file);
        }
        maps = null;
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
        return new StoreStatus(true, file.toString(), writer.sync().name().toLowerCase(), error == null, error,
                writer.pendingChanges(), writer.commits(), size);
    }

    /** The writer's view of the file. */
    private final class Storage implements GroupCommitWriter.Storage {
        @Override
        public void commit(boolean force) {
            writePending();
            maps.store.commit();
            if (force) {
                maps.store.sync();
            }
        }

        @Override
        public void maintain() {
            writePending();
            maps.dropExpired(System.currentTimeMillis());
            maps.store.commit();
            maps.store.compact(50, 16 << 20);
        }
    }
}
