package dev.midge.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged broker ({@code target/quarkus-app/quarkus-run.jar}) as a process of its own, on loopback with
 * free ports, as an operator runs it. Its output is kept for failure messages.
 */
public final class BrokerProcess implements AutoCloseable {

    private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern BOUND = Pattern.compile("MQTT listener bound on [^:]+:(\\d+)");

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> output = new ArrayList<>();
    private final int port;
    private Thread reader;

    /** How a broker that was expected not to start ended. */
    public record Failed(int status, List<String> output) {
    }

    /** Starts the broker with the given {@code -D} settings and waits until it has started. */
    public BrokerProcess(String... systemProperties) throws Exception {
        this(true, DEFAULT_START_TIMEOUT, List.of(), systemProperties);
    }

    /**
     * As {@link #BrokerProcess(Duration, String...)}, with JVM options (heap, collector) before the {@code -D}
     * settings.
     */
    public static BrokerProcess withJvmOptions(Duration startTimeout, List<String> jvmOptions,
            String... systemProperties) throws Exception {
        return new BrokerProcess(true, startTimeout, jvmOptions, systemProperties);
    }

    /** As {@link #BrokerProcess(String...)}, allowing start-up the given time (a node joining a cluster). */
    public BrokerProcess(Duration startTimeout, String... systemProperties) throws Exception {
        this(true, startTimeout, List.of(), systemProperties);
    }

    /** Starts the broker expecting start-up to fail; returns its exit status and output once it has ended. */
    public static Failed failingToStart(String... systemProperties) throws Exception {
        BrokerProcess broker = new BrokerProcess(false, DEFAULT_START_TIMEOUT, List.of(), systemProperties);
        try {
            if (!broker.process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the broker is still running; output: " + broker.output());
            }
            broker.reader.join(5_000);
            return new Failed(broker.process.exitValue(), broker.output());
        } finally {
            broker.close();
        }
    }

    private BrokerProcess(boolean awaitStart, Duration startTimeout, List<String> jvmOptions,
            String... systemProperties) throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("package the application first: " + jar + " is missing");
        }
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dmidge.mqtt.host=127.0.0.1", "-Dmidge.mqtt.port=0", "-Dquarkus.http.port=0"));
        for (String property : systemProperties) {
            command.add("-D" + property);
        }
        command.addAll(List.of("-jar", jar.toString()));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (Exception e) {
                lines.add("<output closed: " + e.getMessage() + ">");
            }
        });
        reader.setDaemon(true);
        reader.start();
        port = awaitStart ? awaitPort(startTimeout) : -1;
    }

    /** The java executable of the JVM running the tests, to start the packaged broker and its commands with. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public int port() {
        return port;
    }

    /** The process id, for signals sent the way an operator sends them ({@code kill -9 <pid>}). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The first output line containing the text, waiting up to the timeout for it; null if none came. */
    public String awaitLine(String text, long timeout, TimeUnit unit) throws InterruptedException {
        for (String line : output) {
            if (line.contains(text)) {
                return line;
            }
        }
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                output.add(line);
                if (line.contains(text)) {
                    return line;
                }
            }
        }
        return null;
    }

    /** SIGTERM, then waits for the exit; returns the exit status. */
    public int stop() throws InterruptedException {
        terminate();
        return awaitExit();
    }

    /**
     * Sends SIGTERM and returns at once. Through the process handle: {@code Process.destroy} would also close
     * the output stream, losing what the broker logs while it shuts down.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** True once the process has exited, waiting up to the timeout for it. */
    public boolean exited(long timeout, TimeUnit unit) throws InterruptedException {
        return process.waitFor(timeout, unit);
    }

    /** Waits up to 30 s for the process to exit; returns the exit status. */
    public int awaitExit() throws InterruptedException {
        if (!exited(30, TimeUnit.SECONDS)) {
            throw new AssertionError("broker did not exit within 30 s; output: " + output());
        }
        return process.exitValue();
    }

    /** SIGQUIT: the JVM prints every thread's stack to its output and goes on; waits up to 5 s for the signal. */
    public void threadDump() throws Exception {
        new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
    }

    /** SIGKILL: the process ends at once, as in a crash or an OOM kill. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** What the broker printed so far. */
    public List<String> output() {
        lines.drainTo(output);
        return output;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /** The bound port, once start-up has finished (the "started in" line, after the listener's own). */
    private int awaitPort(Duration timeout) throws InterruptedException {
        int found = -1;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive() || !lines.isEmpty()) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line == null) {
                continue;
            }
            output.add(line);
            Matcher m = BOUND.matcher(line);
            if (m.find()) {
                found = Integer.parseInt(m.group(1));
            } else if (found > 0 && line.contains(" started in ")) {
                return found;
            }
        }
        process.destroyForcibly();
        throw new AssertionError("the broker did not start; output: " + output);
    }
}
