package dev.midge.fuzz;

import static org.junit.jupiter.api.Assertions.fail;

import dev.midge.session.Session;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One fuzzer input's life: a fresh in-memory broker, a well-behaved bystander subscribed to everything, the
 * connections the input drives, and the invariants checked once it is done. A broken invariant fails the input
 * with every fault found.
 */
final class FuzzRun {

    /** A client id no fuzzed connection uses: the bystander must never be taken over. */
    private static final String BYSTANDER = "the-bystander";
    private static final byte[] PINGREQ = {(byte) 0xC0, 0x00};
    private static final byte[] PINGRESP = {(byte) 0xD0, 0x00};

    private final InMemoryBroker broker = new InMemoryBroker(FuzzConfig.get());
    private final HandledExceptions handled;
    private final FuzzedConnection bystander;
    private final List<FuzzedConnection> connections = new ArrayList<>();
    private final List<String> faults = new ArrayList<>();

    FuzzRun(HandledExceptions handled) {
        this.handled = handled;
        handled.clear();
        bystander = new FuzzedConnection(broker, false, true);
        PacketEncoder encoder = new PacketEncoder(MqttVersion.MQTT_5);
        bystander.feed(encoder.encode(MqttMessageBuilders.connect().clientId(BYSTANDER)
                .protocolVersion(MqttVersion.MQTT_5).cleanSession(true).build()));
        bystander.feed(encoder.encode(MqttMessageBuilders.subscribe().messageId(1)
                .addSubscription(MqttQoS.AT_MOST_ONCE, "#").build()));
        byte[] acks = bystander.takeReceived();
        if (acks.length < 2 || acks[0] != 0x20 || !bystander.isOpen()) {
            fail("the bystander was not accepted: " + Arrays.toString(acks));
        }
    }

    InMemoryBroker broker() {
        return broker;
    }

    FuzzedConnection open(boolean webSocket) {
        FuzzedConnection connection = new FuzzedConnection(broker, webSocket, false);
        connections.add(connection);
        return connection;
    }

    /**
     * Whatever the input did so far, the broker holds no more than its limits allow: queues, in-flight windows
     * and QoS 2 ids per session, and subscriptions and retained messages no more than the bytes it was sent.
     */
    void checkBounds() {
        long fed = connections.stream().mapToLong(FuzzedConnection::bytesFed).sum();
        for (Session session : broker.sessions().snapshot()) {
            check(session.queuedCount() <= 2L * FuzzConfig.MAX_QUEUED + FuzzConfig.MAX_INFLIGHT,
                    session.clientId() + " queues " + session.queuedCount() + " messages");
            check(session.inflightCount() <= FuzzConfig.MAX_INFLIGHT,
                    session.clientId() + " has " + session.inflightCount() + " in flight");
            // Embedded loops run the question at once, on this thread.
            int awaiting = session.query(loop -> loop.awaitingRelease().size()).toCompletableFuture().join();
            check(awaiting <= FuzzConfig.RECEIVE_MAXIMUM, session.clientId() + " awaits " + awaiting + " PUBRELs");
        }
        check(broker.router().subscriptions().size() <= 1 + fed / 3,
                broker.router().subscriptions().size() + " subscriptions from " + fed + " bytes");
        check(broker.router().retained().size() <= fed / 4,
                broker.router().retained().size() + " retained messages from " + fed + " bytes");
    }

    /** Closes the input's connections and fails with every invariant it broke. */
    void finish() {
        checkBounds();
        for (FuzzedConnection connection : connections) {
            faults.addAll(connection.closeAndCheck());
        }
        bystander.takeReceived();
        bystander.feed(PINGREQ);
        byte[] reply = bystander.takeReceived();
        check(bystander.isOpen(), "the bystander's connection was closed");
        check(reply.length >= 2 && reply[reply.length - 2] == PINGRESP[0] && reply[reply.length - 1] == PINGRESP[1],
                "the bystander got no PINGRESP");
        faults.addAll(bystander.closeAndCheck());
        for (String unexpected : handled.unexpected()) {
            faults.add("the broker caught " + unexpected);
        }
        if (!faults.isEmpty()) {
            fail(String.join("\n", faults));
        }
    }

    private void check(boolean condition, String fault) {
        if (!condition) {
            faults.add(fault);
        }
    }
}
