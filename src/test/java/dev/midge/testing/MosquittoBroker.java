package dev.midge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code mosquitto} as a second broker on loopback, with persistence in its own directory so that a
 * restart keeps its clients' sessions. Installed by {@code .ci/run}.
 */
public final class MosquittoBroker {

    private static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final Path dir;
    private final int port;
    private Process process;

    public MosquittoBroker(Path dir, int port) {
        this.dir = dir.toAbsolutePath();
        this.port = port;
    }

    /**
     * A port free on loopback now, below Linux's ephemeral range (from 32768): under load, a client connecting
     * anywhere on the machine could be given an ephemeral port between this check and the broker's bind.
     */
    public static int freePort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 32_768);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (BindException taken) {
                // try another
            }
        }
        throw new IOException("no free port between 20000 and 32767 on 127.0.0.1");
    }

    /**
     * One free port per name for the whole JVM, kept in a system property: Quarkus reads a test profile in two
     * class loaders, and both must see the same port.
     */
    public static synchronized int sharedPort(String name) {
        String property = "midgetest." + name + ".port";
        if (System.getProperty(property) == null) {
            try {
                System.setProperty(property, String.valueOf(freePort()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Integer.getInteger(property);
    }

    public int port() {
        return port;
    }

    /** Starts it and waits until it accepts connections. */
    public void start() throws Exception {
        Files.createDirectories(dir);
        Path conf = dir.resolve("mosquitto.conf");
        // "user root": started as root (CI), mosquitto would otherwise switch to its own user, which cannot
        // write its database into this directory.
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence true\n"
                + "persistence_location " + dir + "/\nuser root\n");
        process = new ProcessBuilder(BINARY.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile())).start();
        if (Listening.await(port, process, 10)) {
            return;
        }
        throw new IllegalStateException("mosquitto did not start on port " + port + "; see "
                + dir.resolve("mosquitto.log") + ": " + Files.readString(dir.resolve("mosquitto.log")));
    }

    /** SIGTERM, which makes it save its sessions, and waits for it to exit. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.toHandle().destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            process = null;
        }
    }
}
