package dev.midge.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.testing.BrokerProcess;
import dev.midge.testing.MosquittoBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrate-mosquitto-db} on a file that a real Mosquitto wrote: a retained message, an MQTT 3.1.1 and an
 * MQTT 5 persistent session with messages queued while they were away. After the migration Midge serves them
 * to the same clients, with the Mosquitto clients.
 */
@Timeout(180)
class MosquittoDbMigrationIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    @TempDir
    Path dir;

    @Test
    void retainedMessagesSessionsAndQueuedMessagesMoveFromMosquittoToMidge() throws Exception {
        MosquittoClient.assertInstalled();
        MosquittoBroker mosquitto = new MosquittoBroker(dir.resolve("mosquitto"), MosquittoBroker.freePort());
        mosquitto.start();
        try {
            String port = Integer.toString(mosquitto.port());
            MosquittoClient.publish("-h", "127.0.0.1", "-p", port, "-t", "keep/a", "-r", "-q", "1", "-m", "kept");
            subscribeAndLeave(port, "-i", "sess-311", "-c", "-q", "1", "-t", "queue/#");
            subscribeAndLeave(port, "-V", "5", "-i", "sess-5", "-c", "-x", "3600", "-q", "2", "-t", "v5/#");
            MosquittoClient.publish("-h", "127.0.0.1", "-p", port, "-t", "queue/1", "-q", "1", "-m", "one");
            MosquittoClient.publish("-h", "127.0.0.1", "-p", port, "-t", "queue/2", "-q", "1", "-m", "two");
            MosquittoClient.publish("-h", "127.0.0.1", "-p", port, "-V", "5", "-t", "v5/x", "-q", "2", "-m", "five",
                    "-D", "publish", "user-property", "origin", "mosquitto");
        } finally {
            mosquitto.stop();
        }
        Path db = dir.resolve("mosquitto").resolve("mosquitto.db");
        assertTrue(Files.exists(db), "Mosquitto saved its state on SIGTERM");

        Path store = dir.resolve("midge");
        Process migrate = new ProcessBuilder(BrokerProcess.java(),
                "-jar", JAR.toString(), "migrate-mosquitto-db", db.toString(), store.toString())
                .redirectErrorStream(true).start();
        assertTrue(migrate.waitFor(60, TimeUnit.SECONDS));
        String output = new String(migrate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, migrate.exitValue(), output);
        assertTrue(output.contains("Migrated 1 retained message(s), 2 session(s) and 3 queued or in-flight"),
                output);

        try (BrokerProcess midge = new BrokerProcess("midge.persistence.dir=" + store)) {
            String port = Integer.toString(midge.port());
            assertEquals(List.of("queue/1 one", "queue/2 two"), receive(port, 2, "-i", "sess-311", "-c", "-q", "1",
                    "-t", "queue/#", "-v"));
            assertEquals(List.of("v5/x five origin:mosquitto"), receive(port, 1, "-V", "5", "-i", "sess-5", "-c",
                    "-x", "3600", "-q", "2", "-t", "v5/#", "-F", "%t %p %P"));
            assertEquals(List.of("keep/a kept"), receive(port, 1, "-t", "keep/#", "-v"));
        }
    }

    @Test
    void aFileThatIsNotMosquittosIsRefused() throws Exception {
        Path bogus = Files.writeString(dir.resolve("mosquitto.db"), "not a database at all");
        Process migrate = new ProcessBuilder(BrokerProcess.java(),
                "-jar", JAR.toString(), "migrate-mosquitto-db", bogus.toString(), dir.resolve("midge").toString())
                .redirectErrorStream(true).start();
        assertTrue(migrate.waitFor(60, TimeUnit.SECONDS));
        String output = new String(migrate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, migrate.exitValue(), output);
        assertTrue(output.contains("is not a Mosquitto persistence file"), output);
    }

    /** Subscribes with a persistent session and leaves once the SUBACK came (mosquitto_sub -E). */
    private static void subscribeAndLeave(String port, String... args) throws Exception {
        try (MosquittoClient sub = MosquittoClient.start("mosquitto_sub", concat(new String[] {"-h", "127.0.0.1",
                "-p", port, "-E"}, args))) {
            sub.assertExits(0, 10);
        }
    }

    private static List<String> receive(String port, int count, String... args) throws Exception {
        try (MosquittoClient sub = MosquittoClient.start("mosquitto_sub", concat(new String[] {"-h", "127.0.0.1",
                "-p", port, "-C", Integer.toString(count), "-W", "20"}, args))) {
            sub.assertExits(0, 25);
            return sub.output();
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
