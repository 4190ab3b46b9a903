package dev.midge.bench;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One flooding client among well-behaved ones: {@code --publishers} P clients each publish {@code --messages}
 * at {@code --rate}/P messages per second to a topic of their own, and one subscriber takes them all and times
 * each. With {@code --flood}, a client whose id starts with {@code flooder-} also publishes QoS 0 as fast as its
 * socket allows for as long as the others run, to a topic a second subscriber takes, so the broker delivers
 * the flood as well as reading it. The figures are the well-behaved messages' latency, and how many flood
 * messages got through.
 */
final class Flooder {

    private Flooder() {
    }

    static Result run(Options o) throws Exception {
        EventLoopGroup group = new NioEventLoopGroup(o.threads);
        // The flood's two clients get a loop of their own, so that the others' sends and reads do not queue
        // behind it in the generator.
        EventLoopGroup floodGroup = new NioEventLoopGroup(1);
        String prefix = "bench/flooder/" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "/";
        int total = o.publishers * o.messages;
        LatencySamples samples = new LatencySamples(total);
        AtomicLong flooded = new AtomicLong();
        List<BenchClient> clients = new ArrayList<>();
        List<ScheduledFuture<?>> tasks = new ArrayList<>();
        try {
            BenchClient sub = BenchClient.connect(group, o.host, o.subscriberPort(), "ok-sub-" + prefix,
                    samples::record);
            sub.subscribe(prefix + "ok/+", o.qos);
            clients.add(sub);
            BenchClient floodSub = BenchClient.connect(floodGroup, o.host, o.subscriberPort(), "flood-sub-" + prefix,
                    payload -> flooded.incrementAndGet());
            floodSub.subscribe(prefix + "flood", 0);
            clients.add(floodSub);
            List<BenchClient> publishers = new ArrayList<>();
            for (int p = 0; p < o.publishers; p++) {
                BenchClient pub = BenchClient.connect(group, o.host, o.port, "ok-pub-" + p + "-" + prefix, m -> { });
                publishers.add(pub);
                clients.add(pub);
            }
            BenchClient flooder = o.flood
                    ? BenchClient.connect(floodGroup, o.host, o.port, "flooder-" + prefix, m -> { }) : null;
            if (flooder != null) {
                clients.add(flooder);
            }
            double cpuBefore = o.brokerPid > 0 ? ProcStats.cpuSeconds(o.brokerPid) : 0;
            long start = System.nanoTime();
            long periodNanos = 1_000_000_000L * o.publishers / Math.max(1, o.rate);
            for (int p = 0; p < publishers.size(); p++) {
                tasks.add(steady(publishers.get(p), p, prefix + "ok/" + p, periodNanos, o));
            }
            if (flooder != null) {
                flood(flooder, prefix + "flood", o, samples);
            }
            samples.await(o.deadline);
            long elapsedNanos = Math.max(1, System.nanoTime() - start);
            double cpuAfter = o.brokerPid > 0 ? ProcStats.cpuSeconds(o.brokerPid) : 0;
            long[] sorted = samples.sorted();
            int n = sorted.length;
            Result r = new Result("flooder", o).put("qos", o.qos).put("publishers", o.publishers)
                    .put("rate", o.rate).put("flood", o.flood ? 1 : 0).put("expected", total).put("received", n)
                    .put("lost", total - n).put("p50_us", LatencySamples.percentile(sorted, 0.50))
                    .put("p99_us", LatencySamples.percentile(sorted, 0.99))
                    .put("p999_us", LatencySamples.percentile(sorted, 0.999))
                    .put("flood_delivered", flooded.get())
                    .put("flood_per_sec", flooded.get() / (elapsedNanos / 1e9));
            if (o.brokerPid > 0) {
                r.put("broker_cpu_s", cpuAfter - cpuBefore);
            }
            return r;
        } finally {
            samples.giveUp();
            tasks.forEach(t -> t.cancel(false));
            clients.forEach(BenchClient::disconnect);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            floodGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** One well-behaved publisher: {@code --messages} at a fixed period, started at a random phase. */
    private static ScheduledFuture<?> steady(BenchClient client, int id, String topic, long periodNanos, Options o) {
        long[] next = {0};
        long phase = (long) (Math.random() * periodNanos);
        return client.channel().eventLoop().scheduleAtFixedRate(() -> {
            if (next[0] < o.messages) {
                client.publish(topic, BenchClient.payload(id, next[0]++, o.payload), o.qos);
                client.channel().flush();
            }
        }, phase, periodNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Publishes as fast as the socket takes, until the well-behaved publishers are done: 64 messages at a time,
     * then again at once while the socket is writable, or when it becomes writable again.
     */
    private static void flood(BenchClient client, String topic, Options o, LatencySamples done) {
        Channel channel = client.channel();
        long[] sent = {0};
        Runnable pump = new Runnable() {
            @Override
            public void run() {
                for (int i = 0; i < 64 && !done.done() && channel.isActive() && channel.isWritable(); i++) {
                    client.publish(topic, BenchClient.payload(-1, sent[0]++, o.payload), 0);
                }
                channel.flush();
                if (!done.done() && channel.isActive() && channel.isWritable()) {
                    channel.eventLoop().execute(this);
                }
            }
        };
        client.onWindowOpen(pump);
        channel.eventLoop().execute(pump);
    }
}
