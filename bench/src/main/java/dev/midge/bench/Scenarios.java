package dev.midge.bench;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.nio.NioEventLoopGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The benchmark scenarios. Each is bounded by its message count and by {@code --deadline}. */
final class Scenarios {

    private static final AtomicInteger RUNS = new AtomicInteger();

    private Scenarios() {
    }

    static Result run(String scenario, Options o) throws Exception {
        return switch (scenario) {
            case "throughput" -> throughput("throughput", o);
            case "fanin" -> throughput("fanin", o);
            case "fanout" -> throughput("fanout", o);
            case "latency" -> latency(o);
            case "connections" -> IdleClients.connections(o);
            case "idle" -> IdleClients.idle(o);
            case "handshakes" -> Handshakes.run(o);
            case "flooder" -> Flooder.run(o);
            default -> {
                Result exhaustion = Exhaustion.run(scenario, o);
                if (exhaustion == null) {
                    throw new IllegalArgumentException("unknown scenario " + scenario);
                }
                yield exhaustion;
            }
        };
    }

    /**
     * Publishers send their messages round-robin over the topics; every subscriber subscribes to all topics, so
     * each message should reach every subscriber once. Fan-in and fan-out are this with other counts.
     */
    static Result throughput(String name, Options o) throws Exception {
        EventLoopGroup group = new NioEventLoopGroup(o.threads);
        String prefix = "bench/" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet() + "/";
        List<BenchClient> clients = new ArrayList<>();
        try {
            AtomicLong unique = new AtomicLong();
            AtomicLong lastArrival = new AtomicLong();
            List<DeliveryCounter> counters = new ArrayList<>();
            for (int s = 0; s < o.subscribers; s++) {
                DeliveryCounter counter = new DeliveryCounter(o.publishers, unique, lastArrival);
                counters.add(counter);
                BenchClient sub = BenchClient.connect(group, o.host, o.subscriberPort(), "sub-" + prefix + s,
                        !o.persistentSessions, counter::record);
                sub.subscribe(prefix + "+", o.qos);
                clients.add(sub);
                if (o.slowSubscriber) {
                    readSlowly(sub.channel());
                }
            }
            List<BenchClient> publishers = new ArrayList<>();
            for (int p = 0; p < o.publishers; p++) {
                BenchClient pub = BenchClient.connect(group, o.host, o.port, "pub-" + prefix + p, m -> { });
                publishers.add(pub);
                clients.add(pub);
            }
            String[] topics = new String[o.topics];
            Arrays.setAll(topics, t -> prefix + "t" + t);
            double cpuBefore = cpu(o);
            long start = System.nanoTime();
            CountDownLatch published = new CountDownLatch(o.publishers);
            for (int p = 0; p < o.publishers; p++) {
                new Publisher(publishers.get(p), p, topics, o, published).start();
            }
            long expected = (long) o.publishers * o.messages * o.subscribers;
            long deadline = start + TimeUnit.SECONDS.toNanos(o.deadline);
            // A benchmark, not a test: poll for the end, which may also be "nothing more arrives" for QoS 0.
            long quietSince = System.nanoTime();
            long lastSeen = -1;
            long rssMaxKib = 0;
            for (int polls = 0; unique.get() < expected && System.nanoTime() < deadline; polls++) {
                Thread.sleep(5);
                if (o.brokerPid > 0 && polls % 20 == 0) {
                    rssMaxKib = Math.max(rssMaxKib, ProcStats.rssKib(o.brokerPid));
                }
                long now = unique.get();
                if (now != lastSeen) {
                    lastSeen = now;
                    quietSince = System.nanoTime();
                } else if (published.getCount() == 0 && System.nanoTime() - quietSince > 2_000_000_000L) {
                    break;
                }
            }
            long end = Math.max(lastArrival.get(), start + 1);
            double cpuAfter = cpu(o);
            long duplicates = 0;
            long reordered = 0;
            for (int s = 0; s < counters.size(); s++) {
                DeliveryCounter c = counters.get(s);
                long[] figures = clients.get(s).channel().eventLoop()
                        .submit(() -> new long[] {c.duplicates, c.reordered}).get();
                duplicates += figures[0];
                reordered += figures[1];
            }
            double seconds = (end - start) / 1e9;
            Result r = new Result(name, o).put("qos", o.qos).put("payload", o.payload)
                    .put("publishers", o.publishers).put("subscribers", o.subscribers).put("topics", o.topics)
                    .put("expected", expected).put("received", unique.get())
                    .put("lost", expected - unique.get()).put("duplicates", duplicates).put("reordered", reordered)
                    .put("seconds", seconds).put("msgs_per_sec", unique.get() / seconds);
            if (o.brokerPid > 0) {
                r.put("broker_rss_max_mib", rssMaxKib / 1024.0);
            }
            return withCpu(r, o, cpuBefore, cpuAfter, unique.get());
        } finally {
            clients.forEach(BenchClient::disconnect);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Sends one publisher's messages as fast as the socket and its QoS 1/2 window allow. */
    private static final class Publisher {
        private final BenchClient client;
        private final int id;
        private final String[] topics;
        private final Options o;
        private final CountDownLatch done;
        private long sent;
        private boolean finished;

        Publisher(BenchClient client, int id, String[] topics, Options o, CountDownLatch done) {
            this.client = client;
            this.id = id;
            this.topics = topics;
            this.o = o;
            this.done = done;
        }

        void start() {
            client.onWindowOpen(this::pump);
            client.channel().eventLoop().execute(this::pump);
        }

        private void pump() {
            Channel channel = client.channel();
            while (sent < o.messages && channel.isWritable() && (o.qos == 0 || client.inflight() < o.window)) {
                String topic = topics[(int) (sent % topics.length)];
                client.publish(topic, BenchClient.payload(id, sent, o.payload), o.qos);
                sent++;
            }
            channel.flush();
            if (!finished && sent == o.messages && (o.qos == 0 || client.inflight() == 0)) {
                finished = true;
                done.countDown();
            }
        }
    }

    /** Reads a little at a time, a slow consumer that makes the broker hold messages for it. */
    private static void readSlowly(Channel channel) {
        channel.config().setAutoRead(false);
        channel.config().setOption(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(2048));
        channel.eventLoop().scheduleAtFixedRate(channel::read, 0, 2, TimeUnit.MILLISECONDS);
    }

    /** One publisher at a fixed rate, one subscriber; the time each message took to arrive. */
    static Result latency(Options o) throws Exception {
        EventLoopGroup group = new NioEventLoopGroup(o.threads);
        String topic = "bench/latency/" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet();
        LatencySamples samples = new LatencySamples(o.messages);
        BenchClient sub = null;
        BenchClient pub = null;
        try {
            sub = BenchClient.connect(group, o.host, o.subscriberPort(), "lat-sub-" + topic, samples::record);
            sub.subscribe(topic, o.qos);
            pub = BenchClient.connect(group, o.host, o.port, "lat-pub-" + topic, m -> { });
            BenchClient publisher = pub;
            double cpuBefore = cpu(o);
            long[] next = {0};
            var task = pub.channel().eventLoop().scheduleAtFixedRate(() -> {
                if (next[0] < o.messages) {
                    publisher.publish(topic, BenchClient.payload(0, next[0]++, o.payload), o.qos);
                    publisher.channel().flush();
                }
            }, 0, 1_000_000_000L / o.rate, TimeUnit.NANOSECONDS);
            samples.await(o.deadline);
            task.cancel(false);
            double cpuAfter = cpu(o);
            long[] sorted = samples.sorted();
            int n = sorted.length;
            Result r = new Result("latency", o).put("qos", o.qos).put("payload", o.payload).put("rate", o.rate)
                    .put("expected", o.messages).put("received", n).put("lost", o.messages - n)
                    .put("p50_us", LatencySamples.percentile(sorted, 0.50))
                    .put("p99_us", LatencySamples.percentile(sorted, 0.99))
                    .put("p999_us", LatencySamples.percentile(sorted, 0.999)).put("max_us", n == 0 ? 0.0 : sorted[n - 1] / 1e3);
            return withCpu(r, o, cpuBefore, cpuAfter, n);
        } finally {
            if (sub != null) {
                sub.disconnect();
            }
            if (pub != null) {
                pub.disconnect();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static double cpu(Options o) throws Exception {
        return o.brokerPid > 0 ? ProcStats.cpuSeconds(o.brokerPid) : 0;
    }

    private static Result withCpu(Result r, Options o, double before, double after, long messages) {
        if (o.brokerPid > 0) {
            r.put("broker_cpu_s", after - before)
                    .put("broker_cpu_us_per_msg", messages == 0 ? 0.0 : (after - before) * 1e6 / messages);
        }
        return r;
    }
}
