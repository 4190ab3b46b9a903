package dev.midge.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One run of a Mosquitto command-line client (mosquitto_sub or mosquitto_pub), its output read line by line.
 * Always used in try-with-resources: closing kills it if it still runs.
 */
final class MosquittoClient implements AutoCloseable {

    private static final Path BIN = Path.of("/usr/bin");

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();
    private final Thread reader;

    private MosquittoClient(List<String> command) throws IOException {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (all) {
                        all.add(line);
                    }
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("<read failed: " + e.getMessage() + ">");
            }
        }, "mosquitto-client-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Fails (never skips) when the Mosquitto clients are missing: CI installs mosquitto-clients. */
    static void assertInstalled() {
        for (String binary : List.of("mosquitto_sub", "mosquitto_pub")) {
            assertTrue(Files.isExecutable(BIN.resolve(binary)),
                    BIN.resolve(binary) + " is missing: apt-get install mosquitto-clients");
        }
    }

    /**
     * Starts the binary with the given arguments, line buffered: with a pipe for stdout it would otherwise print
     * nothing until it exits.
     */
    static MosquittoClient start(String binary, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("stdbuf");
        command.add("-oL");
        command.add(BIN.resolve(binary).toString());
        command.addAll(List.of(args));
        return new MosquittoClient(command);
    }

    /** Runs mosquitto_pub with the arguments and checks it exits 0 within 10 s. */
    static void publish(String... args) throws IOException, InterruptedException {
        try (MosquittoClient pub = start("mosquitto_pub", args)) {
            pub.assertExits(0, 10);
        }
    }

    /** Waits for an output line containing the text; fails with everything printed after the timeout. */
    String awaitLine(String text, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                fail("no line containing '" + text + "' within " + seconds + " s; output: " + output());
            }
            if (line.contains(text)) {
                return line;
            }
        }
    }

    /** Waits for the process to exit by itself and checks its status. */
    void assertExits(int status, long seconds) throws InterruptedException {
        assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), "still running after " + seconds + " s; output: "
                + output());
        reader.join(TimeUnit.SECONDS.toMillis(5));
        assertEquals(status, process.exitValue(), "exit status; output: " + output());
    }

    int exitValue() {
        return process.exitValue();
    }

    boolean hasExited(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    /** Everything printed so far, stdout and stderr. */
    List<String> output() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    /** Ends it as a crash would: SIGKILL, no DISCONNECT. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
