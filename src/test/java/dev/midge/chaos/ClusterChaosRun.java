package dev.midge.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midge.testing.BrokerCluster;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The long chaos run of a cluster, outside the normal suite (run by {@code bench/cluster-chaos.sh}): three
 * packaged brokers on loopback, 50 persistent QoS 1 subscribers spread over them, publishers at a steady rate;
 * every {@code chaos.interval} seconds a random node is killed ({@code chaos.mode=kill}, SIGKILL) or stopped
 * ({@code term}, SIGTERM) and started again, {@code chaos.rounds} times; {@code rolling} stops the nodes with SIGTERM
 * in turn, 2, 1, 0, as a rollout restart of the StatefulSet does. Clients reconnect to the other nodes.
 * Then every message acknowledged to its publisher must have reached every subscriber, and none may have come
 * twice without the DUP flag. The figures go to standard output, one line per subscriber and a summary.
 */
class ClusterChaosRun {

    private static final int SUBSCRIBERS = Integer.getInteger("chaos.subscribers", 50);
    private static final int PUBLISHERS = 3;
    private static final int ROUNDS = Integer.getInteger("chaos.rounds", 10);
    private static final int INTERVAL_SECONDS = Integer.getInteger("chaos.interval", 20);
    private static final int RATE_PER_PUBLISHER = Integer.getInteger("chaos.rate", 20);
    private static final String MODE = System.getProperty("chaos.mode", "kill");
    private static final long DRAIN_SECONDS = 120;

    /** What one subscriber received: each message once, and how many came again without DUP. */
    private static final class Received {
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        /** When each message first came, for the report of repeats. */
        final Map<String, LocalTime> firstCame = new ConcurrentHashMap<>();
        final AtomicLong undupedRepeats = new AtomicLong();
        final AtomicLong dupedRepeats = new AtomicLong();
    }

    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicLong unconfirmed = new AtomicLong();
    private final Map<Integer, Received> received = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    @Test
    @Timeout(value = 3, unit = TimeUnit.HOURS)
    void noAcknowledgedMessageIsLostAndNoneComesTwiceAsNew() throws Exception {
        try (BrokerCluster cluster = new BrokerCluster(3)) {
            String[] uris = new String[3];
            for (int i = 0; i < 3; i++) {
                uris[i] = "tcp://127.0.0.1:" + cluster.node(i).mqttPort();
            }
            List<MqttClient> subscribers = new ArrayList<>();
            for (int s = 0; s < SUBSCRIBERS; s++) {
                subscribers.add(subscriber(s, rotated(uris, s)));
            }
            List<Thread> publishers = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                Thread publisher = new Thread(publishing(p, rotated(uris, p)), "chaos-publisher-" + p);
                publisher.start();
                publishers.add(publisher);
            }
            Random random = new Random(42);
            for (int round = 1; round <= ROUNDS; round++) {
                TimeUnit.SECONDS.sleep(INTERVAL_SECONDS - INTERVAL_SECONDS / 2);
                // A rollout restart of the StatefulSet: the highest ordinal first, each pod ready before the next.
                int victim = MODE.equals("rolling") ? 2 - (round - 1) % 3 : random.nextInt(3);
                long started = System.nanoTime();
                printLog("node " + victim + " before round " + round, cluster.node(victim));
                if (MODE.equals("term") || MODE.equals("rolling")) {
                    stop(cluster.node(victim));
                } else {
                    cluster.node(victim).process().kill();
                }
                cluster.restart(victim);
                System.out.printf("chaos round %d: node %d %s and back in %d ms%n", round, victim, MODE,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                TimeUnit.SECONDS.sleep(INTERVAL_SECONDS / 2);
            }
            running = false;
            for (Thread publisher : publishers) {
                publisher.join(TimeUnit.SECONDS.toMillis(INTERVAL_SECONDS * 2L));
            }
            long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
            while (System.nanoTime() < drainEnd && lostTotal() > 0) {
                TimeUnit.SECONDS.sleep(1);
            }
            for (int i = 0; i < 3; i++) {
                printLog("node " + i + " at the end", cluster.node(i));
            }
            long lost = report();
            for (MqttClient subscriber : subscribers) {
                subscriber.disconnectForcibly(1_000);
                subscriber.close(true);
            }
            long unduped = received.values().stream().mapToLong(r -> r.undupedRepeats.get()).sum();
            assertEquals(0, lost, "acknowledged messages lost");
            assertEquals(0, unduped, "messages delivered twice without DUP");
        }
    }

    /** SIGTERM, and up to the pod's grace period (60 s) for the node to leave; then SIGKILL, as Kubernetes does. */
    private static void stop(BrokerCluster.Node node) throws Exception {
        int before = node.process().output().size();
        node.process().terminate();
        if (!node.process().exited(60, TimeUnit.SECONDS)) {
            System.out.println("chaos: a node did not leave within the grace period after SIGTERM; killed");
            node.process().threadDump();
            // The dump's last line: the whole dump is in the output then.
            node.process().awaitLine("JNI global", 5, TimeUnit.SECONDS);
            List<String> output = node.process().output();
            output.subList(before, output.size()).forEach(line -> System.out.println("chaos stuck node: " + line));
            node.process().kill();
        }
    }

    /** What a node logged of sessions moving and going wrong: its output is gone once it is restarted. */
    private static void printLog(String which, BrokerCluster.Node node) {
        node.process().output().stream()
                .filter(line -> line.contains("WARN  [de.mi") || line.contains("ERROR") || line.contains("moved there")
                        || line.contains("kept here") || line.contains("ended (clean start)")
                        || line.contains("will is published") || line.contains("left; its routes"))
                .limit(1000)
                .forEach(line -> System.out.println("chaos log " + which + ": " + line));
    }

    private static String[] rotated(String[] uris, int by) {
        String[] list = new String[uris.length];
        for (int i = 0; i < uris.length; i++) {
            list[i] = uris[(i + by) % uris.length];
        }
        return list;
    }

    private static MqttConnectOptions options(String[] uris, boolean cleanSession) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setServerURIs(uris);
        options.setCleanSession(cleanSession);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(1_000);
        options.setConnectionTimeout(5);
        options.setKeepAliveInterval(5);
        options.setMaxInflight(1_000);
        return options;
    }

    private MqttClient subscriber(int index, String[] uris) throws MqttException {
        Received mine = new Received();
        received.put(index, mine);
        MqttClient client = new MqttClient(uris[0], "chaos-sub-" + index, new MemoryPersistence());
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                System.out.printf("chaos client %s connected to %s at %s%n", client(), serverURI, LocalTime.now());
            }

            @Override
            public void connectionLost(Throwable cause) {
                System.out.printf("chaos client %s lost its connection at %s: %s%n", client(), LocalTime.now(),
                        cause);
            }

            private String client() {
                return "chaos-sub-" + index;
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                String id = new String(message.getPayload(), StandardCharsets.UTF_8);
                if (mine.seen.add(id)) {
                    mine.firstCame.put(id, LocalTime.now());
                } else if (message.isDuplicate()) {
                    mine.dupedRepeats.incrementAndGet();
                } else if (mine.undupedRepeats.incrementAndGet() <= 3) {
                    System.out.printf("chaos client %s got %s again without DUP at %s, first at %s%n", client(),
                            id, LocalTime.now(), mine.firstCame.get(id));
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        client.connect(options(uris, false));
        client.subscribe("chaos/#", 1);
        return client;
    }

    /**
     * Publishes QoS 1 at a steady rate until the end; a message counts once its PUBACK came. A clean session
     * and no resend of what went unacknowledged, so that every message is published once.
     */
    private Runnable publishing(int index, String[] uris) {
        return () -> {
            try {
                MqttAsyncClient client = new MqttAsyncClient(uris[0], "chaos-pub-" + index, new MemoryPersistence());
                client.connect(options(uris, true)).waitForCompletion(30_000);
                long period = TimeUnit.SECONDS.toNanos(1) / RATE_PER_PUBLISHER;
                long next = System.nanoTime();
                for (long seq = 0; running; seq++) {
                    String id = index + ":" + seq;
                    if (client.isConnected()) {
                        try {
                            client.publish("chaos/" + index, id.getBytes(StandardCharsets.UTF_8), 1, false, null,
                                    new Acknowledged(id));
                        } catch (MqttException e) {
                            unconfirmed.incrementAndGet();
                        }
                    } else {
                        unconfirmed.incrementAndGet();
                    }
                    next += period;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                TimeUnit.SECONDS.sleep(5);
                client.disconnectForcibly(1_000);
                client.close(true);
            } catch (MqttException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private final class Acknowledged implements org.eclipse.paho.client.mqttv3.IMqttActionListener {
        private final String id;

        Acknowledged(String id) {
            this.id = id;
        }

        @Override
        public void onSuccess(org.eclipse.paho.client.mqttv3.IMqttToken token) {
            acknowledged.add(id);
        }

        @Override
        public void onFailure(org.eclipse.paho.client.mqttv3.IMqttToken token, Throwable failure) {
            unconfirmed.incrementAndGet();
        }
    }

    private long lostTotal() {
        long lost = 0;
        for (Received r : received.values()) {
            for (String id : acknowledged) {
                if (!r.seen.contains(id)) {
                    lost++;
                }
            }
        }
        return lost;
    }

    private long report() {
        long lost = 0;
        for (Map.Entry<Integer, Received> e : received.entrySet()) {
            Received r = e.getValue();
            List<String> gaps = acknowledged.stream().filter(id -> !r.seen.contains(id))
                    .sorted(Comparator.comparing((String id) -> id.substring(0, id.indexOf(':')))
                            .thenComparingLong(id -> Long.parseLong(id.substring(id.indexOf(':') + 1))))
                    .toList();
            long missing = gaps.size();
            lost += missing;
            if (missing > 0) {
                System.out.printf("chaos subscriber %d misses %s ... %s%n", e.getKey(),
                        gaps.subList(0, Math.min(5, gaps.size())), gaps.subList(Math.max(0, gaps.size() - 3),
                                gaps.size()));
            }
            System.out.printf("chaos subscriber %d: received %d, lost %d, repeats with DUP %d, without DUP %d%n",
                    e.getKey(), r.seen.size(), missing, r.dupedRepeats.get(), r.undupedRepeats.get());
        }
        System.out.printf("chaos summary: mode %s, %d rounds, %d acknowledged, %d unconfirmed, %d lost, "
                + "%d repeats without DUP%n", MODE, ROUNDS, acknowledged.size(), unconfirmed.get(), lost,
                received.values().stream().mapToLong(r -> r.undupedRepeats.get()).sum());
        return lost;
    }
}
