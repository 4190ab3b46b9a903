package dev.midge.persistence.mosquitto;

import dev.midge.config.PersistenceConfig;
import dev.midge.message.Delivery;
import dev.midge.persistence.BrokerStore;
import dev.midge.persistence.MvBrokerStore;
import dev.midge.persistence.Recovered;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code migrate-mosquitto-db MOSQUITTO_DB [MIDGE_DIR]}: takes a stopped Mosquitto's retained messages,
 * persistent sessions with their subscriptions, and the messages queued or in flight to them into an empty
 * Midge store, so that clients find their sessions when Midge starts in Mosquitto's place.
 */
public final class MosquittoDbImport {

    private MosquittoDbImport() {
    }

    /** @return the process exit status */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 1 || args.length > 2) {
            err.println("Usage: migrate-mosquitto-db MOSQUITTO_DB [MIDGE_PERSISTENCE_DIR (default: data)]");
            return 2;
        }
        Path source = Path.of(args[0]);
        Path target = Path.of(args.length > 1 ? args[1] : "data");
        try {
            MosquittoDb db = MosquittoDbReader.read(source);
            Files.createDirectories(target);
            MvBrokerStore store = new MvBrokerStore(new Settings(target.toString()), nanos -> { });
            Recovered existing = store.open();
            try {
                if (!existing.retained().isEmpty() || !existing.sessions().isEmpty()) {
                    err.println("Error: the Midge store in " + target + " is not empty; migrate into a new one");
                    return 1;
                }
                write(db, store, System.currentTimeMillis());
            } finally {
                store.close();
            }
            int messages = db.clients().stream().mapToInt(c -> c.outbound().size()).sum();
            out.printf("Migrated %d retained message(s), %d session(s) and %d queued or in-flight message(s) "
                    + "from %s into %s%n", db.retained().size(), db.clients().size(), messages, source, target);
            if (db.skippedIncoming() > 0) {
                err.printf("Warning: %d incoming QoS 2 message(s) still waiting for their PUBREL were not taken "
                        + "over%n", db.skippedIncoming());
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("Error: cannot migrate " + source + ": " + e.getMessage());
            return 1;
        }
    }

    static void write(MosquittoDb db, BrokerStore store, long now) {
        db.retained().forEach(store::putRetained);
        for (MosquittoDb.Client client : db.clients()) {
            // The session's expiry counts from the migration, as Mosquitto's did from its shutdown.
            store.putSession(client.clientId(), client.expiryInterval(), now);
            client.subscriptions().forEach((filter, options) -> store.putSubscription(client.clientId(), filter,
                    options));
            for (MosquittoDb.Outbound outbound : client.outbound()) {
                long id = store.newOutboundId();
                store.addOutbound(id, client.clientId(), outbound.message(),
                        Delivery.of(outbound.message().qos(), outbound.message().retain()));
                if (outbound.packetId() != 0) {
                    store.updateOutbound(id, outbound.packetId(), outbound.released());
                }
            }
        }
    }

    /** The store written as the broker writes it by default, into the given directory. */
    private record Settings(String dir) implements PersistenceConfig {
        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public Sync sync() {
            return Sync.ALWAYS;
        }

        @Override
        public Duration flushInterval() {
            return Duration.ofSeconds(1);
        }

        @Override
        public OnCorruption onCorruption() {
            return OnCorruption.FAIL;
        }

        @Override
        public Duration compactInterval() {
            return Duration.ofMinutes(5);
        }
    }
}
