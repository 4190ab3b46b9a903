package dev.midge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** CPU time and resident memory of a process, from /proc (Linux). */
final class ProcStats {

    /** Clock ticks per second for /proc/PID/stat times; 100 on Linux for every common architecture. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcStats() {
    }

    /** User plus system CPU seconds the process has used. */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        // Fields after the command name, which is in parentheses and may contain spaces.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }

    /** Resident set size in KiB. */
    static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    /** A heap line of GC.heap_info: G1's one "heap" line, or one per generation (Serial, Parallel). */
    private static final Pattern HEAP_USED =
            Pattern.compile("(?:heap|generation|PSYoungGen|ParOldGen)\\s+total \\d+K, used (\\d+)K");

    /** Heap in use after a full collection, in KiB, as {@code jcmd} reports it (a JVM broker only). */
    static long heapUsedKib(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        Matcher m = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
        long used = 0;
        boolean found = false;
        while (m.find()) {
            used += Long.parseLong(m.group(1));
            found = true;
        }
        if (!found) {
            throw new IOException("no heap figure from jcmd for " + pid);
        }
        return used;
    }

    /**
     * Whether the broker has closed the loopback connection whose local (client) port this is, seen in
     * /proc/net/tcp without reading from the socket, which would drain it: the client's end in CLOSE_WAIT, or,
     * while the broker's FIN still waits behind data the client has not read, the broker's end in FIN_WAIT1,
     * FIN_WAIT2, CLOSING or CLOSE.
     */
    static boolean closedByPeer(int localPort) throws IOException {
        String port = String.format(":%04X", localPort);
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            for (String line : Files.readAllLines(path)) {
                String[] f = line.trim().split("\\s+");
                if (f.length <= 3) {
                    continue;
                }
                boolean clientClosing = f[1].endsWith(port) && f[3].equals("08");
                boolean brokerClosed = f[2].endsWith(port) && List.of("04", "05", "07", "0B").contains(f[3]);
                if (clientClosing || brokerClosed) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("jcmd", String.valueOf(pid), command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("jcmd " + command + " did not finish");
        }
        return new String(p.getInputStream().readAllBytes());
    }
}
