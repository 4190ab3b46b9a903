package dev.midge.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** One run of a Mosquitto command-line client (mosquitto_sub or mosquitto_pub), its output read line by line. */
final class MosquittoClient implements AutoCloseable {

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private MosquittoClient(List<String> command) throws IOException {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("<read failed: " + e.getMessage() + ">");
            }
        }, "mosquitto-client-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the binary (it must be installed: CI installs mosquitto-clients) with the given arguments, line
     * buffered: with a pipe for stdout it would otherwise print nothing until it exits.
     */
    static MosquittoClient start(String binary, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("stdbuf");
        command.add("-oL");
        command.add("/usr/bin/" + binary);
        command.addAll(List.of(args));
        return new MosquittoClient(command);
    }

    /** Waits for an output line containing the text; fails with everything seen after the timeout. */
    String awaitLine(String text, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                fail("no line containing '" + text + "' within " + seconds + " s; output: " + seen);
            }
            seen.add(line);
            if (line.contains(text)) {
                return line;
            }
        }
    }

    /** Waits for the process to exit by itself and checks its status. */
    void assertExits(int status, long seconds) throws InterruptedException {
        assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), "still running after " + seconds + " s");
        assertEquals(status, process.exitValue(), "exit status; output: " + seen + lines);
    }

    /** The lines printed so far that have not been read with awaitLine. */
    List<String> remainingLines() {
        List<String> rest = new ArrayList<>();
        lines.drainTo(rest);
        return rest;
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
