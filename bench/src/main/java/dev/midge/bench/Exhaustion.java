package dev.midge.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hostile clients, one kind per scenario, and what each costs the broker: memory (resident, and heap after a
 * full collection with {@code --heap}) and CPU from {@code --broker-pid}, and whether the broker's limits end
 * it. Every scenario is bounded by its counts and by {@code --deadline}.
 */
final class Exhaustion {

    private static final AtomicInteger RUNS = new AtomicInteger();

    private Exhaustion() {
    }

    static Result run(String scenario, Options o) throws Exception {
        return switch (scenario) {
            case "idle-sockets" -> idleSockets(o);
            case "slow-readers" -> slowReaders(o);
            case "subscriptions" -> subscriptions(o);
            case "deep-topic" -> deepTopic(o);
            case "retained" -> retained(o);
            case "trickle" -> trickle(o);
            case "property-flood" -> propertyFlood(o);
            default -> null;
        };
    }

    /** The broker's resident memory and, with {@code --heap}, heap in use, in KiB (0 without a PID). */
    private record Footprint(long rssKib, long heapKib) {
        static Footprint of(Options o) throws Exception {
            if (o.brokerPid <= 0) {
                return new Footprint(0, 0);
            }
            return new Footprint(ProcStats.rssKib(o.brokerPid), o.heap ? ProcStats.heapUsedKib(o.brokerPid) : 0);
        }

        /** Adds the growth since {@code before}, per one of {@code count} things, as bytes. */
        void putGrowth(Result r, Footprint before, long count, String per) {
            if (rssKib == 0) {
                return;
            }
            long n = Math.max(1, count);
            r.put("rss_kib_before", before.rssKib).put("rss_kib_after", rssKib)
                    .put("rss_bytes_per_" + per, (rssKib - before.rssKib) * 1024.0 / n);
            if (heapKib > 0) {
                r.put("heap_kib_before", before.heapKib).put("heap_kib_after", heapKib)
                        .put("heap_bytes_per_" + per, (heapKib - before.heapKib) * 1024.0 / n);
            }
        }
    }

    private static String prefix(String name) {
        return "exhaustion/" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet() + "/" + name;
    }

    private static long deadline(Options o) {
        return System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(o.deadline);
    }

    /** Sockets that never send CONNECT: what each costs until the connect timeout closes it. */
    static Result idleSockets(Options o) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        long deadline = deadline(o);
        try {
            Footprint before = Footprint.of(o);
            long start = System.currentTimeMillis();
            for (int i = 0; i < o.connections && System.currentTimeMillis() < deadline; i++) {
                sockets.add(new Socket(o.host, o.port));
            }
            Footprint open = Footprint.of(o);
            int closed = 0;
            for (Socket s : sockets) {
                try {
                    s.setSoTimeout((int) Math.max(1, deadline - System.currentTimeMillis()));
                    if (s.getInputStream().read() < 0) {
                        closed++;
                    }
                } catch (IOException e) {
                    closed++; // a reset or the deadline; a reset is a close
                }
            }
            Result r = new Result("idle-sockets", o).put("sockets", sockets.size()).put("closed_by_broker", closed)
                    .put("seconds_until_last_closed", (System.currentTimeMillis() - start) / 1e3);
            open.putGrowth(r, before, sockets.size(), "socket");
            return r;
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /**
     * Subscribers that never read, one publisher sending QoS 0 as fast as the broker lets it: the broker pauses
     * the publisher, holds at most its queue limits per subscriber, and closes them after the slow-subscriber
     * timeout.
     */
    static Result slowReaders(Options o) throws Exception {
        String topic = prefix("slow");
        List<RawClient> subscribers = new ArrayList<>();
        long deadline = deadline(o);
        try (RawClient pub = new RawClient(o.host, o.port)) {
            for (int i = 0; i < o.subscribers; i++) {
                RawClient sub = new RawClient(o.host, o.port).connect(topic + "-sub-" + i, 4);
                sub.subscribe(1, 0, 4, List.of(topic));
                subscribers.add(sub);
            }
            pub.connect(topic + "-pub", 4);
            Footprint before = Footprint.of(o);
            long started = System.currentTimeMillis();
            byte[] message = RawClient.publish(topic, 0, 0, false, 4, null, new byte[o.payload]);
            AtomicLong published = new AtomicLong();
            Thread publisher = new Thread(() -> {
                try {
                    for (int i = 0; i < o.messages; i++) {
                        pub.send(message);
                        published.incrementAndGet();
                    }
                } catch (IOException e) {
                    // Closed below when the deadline passed while the broker held the publisher paused.
                }
            });
            publisher.start();
            publisher.join(Math.max(1, (deadline - System.currentTimeMillis()) / 2));
            Footprint during = Footprint.of(o);
            // Seen without reading, which would make the subscriber a reader and release the publisher.
            int disconnected = 0;
            while (System.currentTimeMillis() < deadline) {
                disconnected = 0;
                for (RawClient sub : subscribers) {
                    if (ProcStats.closedByPeer(sub.socket.getLocalPort())) {
                        disconnected++;
                    }
                }
                if (disconnected == subscribers.size()) {
                    break;
                }
                Thread.sleep(200); // a benchmark: polls the kernel's table
            }
            pub.close();
            publisher.join(5_000);
            Result r = new Result("slow-readers", o).put("subscribers", o.subscribers).put("payload", o.payload)
                    .put("messages", o.messages).put("published", published.get())
                    .put("subscribers_disconnected", disconnected)
                    .put("seconds", (System.currentTimeMillis() - started) / 1e3);
            during.putGrowth(r, before, o.subscribers, "slow_subscriber");
            return r;
        } finally {
            subscribers.forEach(RawClient::close);
        }
    }

    /** One client subscribing to {@code --filters} distinct filters, 100 per SUBSCRIBE. */
    static Result subscriptions(Options o) throws Exception {
        String prefix = prefix("f/");
        long deadline = deadline(o);
        try (RawClient client = new RawClient(o.host, o.port).connect(prefix + "client", 4)) {
            Footprint before = Footprint.of(o);
            long granted = 0;
            long refused = 0;
            long start = System.nanoTime();
            for (int i = 0; i < o.filters && System.currentTimeMillis() < deadline; i += 100) {
                List<String> batch = new ArrayList<>();
                for (int j = i; j < Math.min(o.filters, i + 100); j++) {
                    batch.add(prefix + j);
                }
                for (int code : client.subscribe(1 + (i / 100) % 65_000, 0, 4, batch)) {
                    if (code < 0x80) {
                        granted++;
                    } else {
                        refused++;
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Footprint after = Footprint.of(o);
            Result r = new Result("subscriptions", o).put("filters", o.filters).put("granted", granted)
                    .put("refused", refused).put("seconds", seconds);
            after.putGrowth(r, before, granted, "subscription");
            return r;
        }
    }

    /** The longest topic MQTT allows, 65,535 bytes, in 10,000 levels. */
    static String deepTopic() {
        StringBuilder topic = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            topic.append(i == 0 ? "" : "/").append(String.format("%05d", i % 100_000));
        }
        while (topic.length() < 65_535) {
            topic.append('x');
        }
        return topic.toString();
    }

    /** PUBLISHes and SUBSCRIBEs with the deepest and longest topic: the CPU each costs and how it ends. */
    static Result deepTopic(Options o) throws Exception {
        String topic = deepTopic();
        int attempts = Math.min(o.messages, 1000);
        double cpuBefore = cpu(o);
        long start = System.nanoTime();
        int closed = 0;
        int acknowledged = 0;
        for (int i = 0; i < attempts; i++) {
            try (RawClient client = new RawClient(o.host, o.port).connect(prefix("deep-") + i, 4)) {
                try {
                    client.send(RawClient.publish(topic, 1, 1, false, 4, null, new byte[] {1}));
                    if (client.read().type() == RawClient.PUBACK) {
                        acknowledged++;
                    }
                } catch (IOException e) {
                    closed++;
                }
            }
        }
        int subAckCode;
        try (RawClient client = new RawClient(o.host, o.port).connect(prefix("deep-sub"), 4)) {
            subAckCode = client.subscribe(1, 0, 4, List.of(topic))[0];
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Result r = new Result("deep-topic", o).put("topic_bytes", topic.length()).put("topic_levels", 10_000)
                .put("publishes", attempts).put("publishes_closed", closed).put("publishes_acknowledged", acknowledged)
                .put("subscribe_code", subAckCode).put("seconds", seconds);
        if (o.brokerPid > 0) {
            r.put("broker_cpu_ms_per_publish", (cpu(o) - cpuBefore) * 1e3 / (attempts + 1));
        }
        return r;
    }

    /**
     * {@code --messages} retained QoS 1 messages, then one QoS 1 subscriber matching all of them, which
     * first does not read for two seconds (the broker must not queue them all for it), then reads and
     * acknowledges every one.
     */
    static Result retained(Options o) throws Exception {
        String prefix = prefix("r/");
        try (RawClient pub = new RawClient(o.host, o.port).connect(prefix + "pub", 4);
                RawClient sub = new RawClient(o.host, o.port).connect(prefix + "sub", 4)) {
            byte[] payload = new byte[o.payload];
            for (int i = 0; i < o.messages; i++) {
                pub.send(RawClient.publish(prefix + i, 1, 1 + i % 65_535, true, 4, null, payload));
            }
            pub.ping(); // after the PUBACKs: every message is stored
            Footprint before = Footprint.of(o);
            sub.subscribe(1, 1, 4, List.of(prefix + "#"));
            Thread.sleep(2_000); // a benchmark: the subscriber stalls on purpose
            Footprint stalled = Footprint.of(o);
            long start = System.nanoTime();
            long deadline = deadline(o);
            int received = 0;
            while (received < o.messages && System.currentTimeMillis() < deadline) {
                RawClient.Packet p = sub.read();
                if (p.type() == RawClient.PUBLISH) {
                    received++;
                    int topicLength = (p.body()[0] & 0xFF) << 8 | p.body()[1] & 0xFF;
                    if ((p.header() >> 1 & 3) > 0) {
                        sub.ack((p.body()[2 + topicLength] & 0xFF) << 8 | p.body()[3 + topicLength] & 0xFF);
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Result r = new Result("retained", o).put("retained", o.messages).put("payload", o.payload)
                    .put("received", received).put("lost", o.messages - received).put("seconds", seconds)
                    .put("msgs_per_sec", received / seconds);
            stalled.putGrowth(r, before, o.messages, "retained_while_stalled");
            return r;
        }
    }

    /** {@code --connections} clients each trickling one {@code --packet-size} PUBLISH at one byte a second. */
    static Result trickle(Options o) throws Exception {
        byte[] packet = RawClient.publish("t", 0, 0, false, 4, null, new byte[o.packetSize - 8]);
        List<RawClient> clients = new ArrayList<>();
        ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
        long deadline = deadline(o);
        try {
            Footprint before = Footprint.of(o);
            for (int i = 0; i < o.connections; i++) {
                clients.add(new RawClient(o.host, o.port).connect(prefix("trickle-") + i, 4));
            }
            int[] next = {0};
            long start = System.currentTimeMillis();
            trickler.scheduleAtFixedRate(() -> {
                int at = next[0]++;
                if (at >= packet.length) {
                    return;
                }
                for (RawClient c : clients) {
                    try {
                        c.send(new byte[] {packet[at]});
                    } catch (IOException e) {
                        // Cut by the broker.
                    }
                }
            }, 0, 1, TimeUnit.SECONDS);
            Thread.sleep(3_000); // a benchmark: let a few bytes trickle in before measuring
            Footprint trickling = Footprint.of(o);
            int cut = 0;
            for (RawClient c : clients) {
                if (c.closedWithin(Math.max(1, deadline - System.currentTimeMillis()))) {
                    cut++;
                }
            }
            Result r = new Result("trickle", o).put("clients", o.connections).put("packet_bytes", packet.length)
                    .put("cut", cut).put("seconds_until_last_cut", (System.currentTimeMillis() - start) / 1e3);
            trickling.putGrowth(r, before, o.connections, "trickler");
            return r;
        } finally {
            trickler.shutdownNow();
            clients.forEach(RawClient::close);
        }
    }

    /**
     * MQTT 5 PUBLISHes of {@code --packet-size} bytes made of user properties ("a" = "b", 7 bytes each), to
     * one subscriber: the broker CPU per packet, from receipt to delivery.
     */
    static Result propertyFlood(Options o) throws Exception {
        String topic = prefix("flood");
        int count = (o.packetSize - 1 - 4 - 2 - topic.length() - 4) / 7;
        ByteArrayOutputStream properties = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            properties.writeBytes(new byte[] {0x26, 0, 1, 'a', 0, 1, 'b'});
        }
        byte[] packet = RawClient.publish(topic, 0, 0, false, 5, properties.toByteArray(), new byte[0]);
        int packets = Math.min(o.messages, 100);
        try (RawClient sub = new RawClient(o.host, o.port).connect(topic + "-sub", 5)) {
            sub.subscribe(1, 0, 5, List.of(topic));
            double cpu = 0;
            int delivered = 0;
            int refused = 0;
            for (int i = 0; i < packets; i++) {
                // A new publisher each time: a refused one is disconnected.
                try (RawClient pub = new RawClient(o.host, o.port).connect(topic + "-pub", 5)) {
                    double cpuBefore = cpu(o);
                    pub.send(packet);
                    if (pub.closedWithin(2_000)) {
                        refused++;
                    } else if (sub.read().type() == RawClient.PUBLISH) {
                        delivered++;
                    }
                    cpu += cpu(o) - cpuBefore;
                }
            }
            Result r = new Result("property-flood", o).put("packet_bytes", packet.length)
                    .put("user_properties", count).put("packets", packets).put("delivered", delivered)
                    .put("refused", refused);
            if (o.brokerPid > 0) {
                r.put("broker_cpu_ms_per_packet", cpu * 1e3 / packets);
            }
            return r;
        }
    }

    private static double cpu(Options o) throws IOException {
        return o.brokerPid > 0 ? ProcStats.cpuSeconds(o.brokerPid) : 0;
    }
}
