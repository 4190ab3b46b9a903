package dev.midge.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetSocketAddress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a broker holds for clients that do nothing: {@code idle}, its resident memory with one client, and
 * {@code connections}, the memory that many idle clients add. Held clients send PINGREQ every
 * {@link #PING_SECONDS}, as real ones do, so a long {@code --hold} stays within their keepalive.
 */
final class IdleClients {

    private static final AtomicInteger RUNS = new AtomicInteger();
    /** Half the clients' keepalive of 60 s; the broker allows 1.5 keepalive periods of silence. */
    private static final long PING_SECONDS = 30;

    private IdleClients() {
    }

    /**
     * Opens {@code --connections} clients. The memory per connection is counted from the broker's figures before
     * the first one, or, with {@code --baseline N}, from those with N clients open, which leaves out what a
     * broker sets up for its first clients (buffers, compiled code, heap growth).
     */
    static Result connections(Options o) throws Exception {
        EventLoopGroup group = new NioEventLoopGroup(o.threads);
        Queue<BenchClient> clients = new ConcurrentLinkedQueue<>();
        group.scheduleAtFixedRate(() -> clients.forEach(BenchClient::ping), PING_SECONDS, PING_SECONDS,
                TimeUnit.SECONDS);
        try {
            Footprint before = Footprint.read(o, 0);
            long start = System.nanoTime();
            long deadline = start + TimeUnit.SECONDS.toNanos(o.deadline);
            String prefix = "idle-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet() + "-";
            Footprint baseline = null;
            for (int i = 0; i < o.connections && System.nanoTime() < deadline; i++) {
                if (o.baseline > 0 && i == o.baseline) {
                    baseline = Footprint.read(o, o.settle);
                }
                clients.add(BenchClient.connect(group, new InetSocketAddress(o.host, o.port), source(o, i),
                        prefix + i, true, m -> { }));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Footprint after = Footprint.read(o, o.settle);
            Result r = new Result("connections", o).put("connections", clients.size())
                    .put("seconds", seconds).put("connects_per_sec", clients.size() / seconds);
            if (o.brokerPid > 0) {
                Footprint from = baseline != null ? baseline : before;
                int counted = clients.size() - (baseline != null ? o.baseline : 0);
                r.put("rss_kib_before", before.rssKib());
                if (baseline != null) {
                    r.put("baseline_connections", o.baseline).put("rss_kib_at_baseline", baseline.rssKib());
                }
                r.put("rss_kib_after", after.rssKib())
                        .put("rss_bytes_per_connection", after.rssBytesOver(from, counted));
                if (o.heap) {
                    r.put("heap_kib_after", after.heapKib())
                            .put("heap_bytes_per_connection", after.heapBytesOver(from, counted));
                }
            }
            hold(o);
            return r;
        } finally {
            clients.forEach(c -> c.channel().close());
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** One client connected, then the broker's resident memory: what it needs to serve anyone at all. */
    static Result idle(Options o) throws Exception {
        EventLoopGroup group = new NioEventLoopGroup(1);
        try {
            BenchClient client = BenchClient.connect(group, o.host, o.port, "idle-" + ProcessHandle.current().pid(),
                    m -> { });
            Footprint footprint = Footprint.read(o, o.settle);
            Result r = new Result("idle", o);
            if (o.brokerPid > 0) {
                r.put("rss_kib", footprint.rssKib()).put("rss_mib", footprint.rssKib() / 1024.0);
                if (o.heap) {
                    r.put("heap_kib", footprint.heapKib());
                }
            }
            hold(o);
            client.disconnect();
            return r;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Client {@code i}'s source address: 127.0.0.1 up to 127.0.0.N round-robin, or any for one address. */
    private static InetSocketAddress source(Options o, int i) {
        return o.sourceAddresses <= 1 ? null : new InetSocketAddress("127.0.0." + (1 + i % o.sourceAddresses), 0);
    }

    /** Keeps the clients open for {@code --hold} seconds, to look at the broker by hand meanwhile. */
    private static void hold(Options o) throws InterruptedException {
        if (o.hold > 0) {
            System.err.printf("holding the connections for %d s%n", o.hold);
            TimeUnit.SECONDS.sleep(o.hold);
        }
    }

    /** The broker's resident memory and, with {@code --heap}, its heap in use after a full collection. */
    private record Footprint(long rssKib, long heapKib) {

        /** Read after {@code settleSeconds}, the time a broker gets to finish what the last connects started. */
        static Footprint read(Options o, int settleSeconds) throws Exception {
            if (o.brokerPid <= 0) {
                return new Footprint(0, 0);
            }
            TimeUnit.SECONDS.sleep(settleSeconds);
            // Resident memory first: the full collection behind the heap figure may move it.
            long rss = ProcStats.rssKib(o.brokerPid);
            return new Footprint(rss, o.heap ? ProcStats.heapUsedKib(o.brokerPid) : 0);
        }

        double rssBytesOver(Footprint from, int connections) {
            return (rssKib - from.rssKib) * 1024.0 / Math.max(1, connections);
        }

        double heapBytesOver(Footprint from, int connections) {
            return (heapKib - from.heapKib) * 1024.0 / Math.max(1, connections);
        }
    }
}
