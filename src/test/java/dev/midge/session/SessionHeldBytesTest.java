package dev.midge.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.midge.config.MidgeConfig;
import dev.midge.limits.Limits;
import dev.midge.limits.LimitsSettings;
import dev.midge.limits.MemoryWatermark;
import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.persistence.DisabledStore;
import dev.midge.persistence.Recovered;
import dev.midge.routing.Router;
import dev.midge.security.Authorizer;
import dev.midge.security.ClientIdentity;
import dev.midge.stats.BrokerStats;
import dev.midge.testing.AllowAll;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Every message a session takes counts towards the memory watermark until the session lets go of it, whichever
 * way: sent at QoS 0, acknowledged, refused by a full queue, dropped offline, or dropped as the session ends;
 * and messages a restart brings back from the store.
 */
class SessionHeldBytesTest {

    private static final MidgeConfig CONFIG = LimitsSettings.config(Map.of("midge.persistence.enabled", "false"));
    private static final Authorizer ANYONE = new AllowAll();
    /** Payload "x" and topic "a/b". */
    private static final long SIZE = 4;

    private final EventLoop loop = new EmbeddedChannel().eventLoop();
    private final Router router = new Router(new DisabledStore());
    private final Limits limits = new Limits(CONFIG);
    private final MemoryWatermark memory = limits.memory();
    private final SessionRegistry registry = new SessionRegistry(router, new BrokerStats(), CONFIG, ANYONE,
            new DisabledStore(), limits);
    /** Two in flight at most, three queued (six while online). */
    private final Session session = new Session("c", 60, loop,
            new SessionLimits(2, 3, memory), router, new BrokerStats(), registry, ANYONE,
            SessionJournal.NONE);

    private static Message message(int qos) {
        return new Message("a/b", "x".getBytes(StandardCharsets.UTF_8), qos, false);
    }

    private void deliver(int qos, int times) {
        for (int i = 0; i < times; i++) {
            session.deliver(message(qos), Delivery.of(qos, false));
        }
    }

    @Test
    void heldWhileQueuedOrInFlightAndReleasedWhenAcknowledgedSentOrEnded() {
        FakeConnection connection = new FakeConnection(loop);
        SessionLoop confined = attach(connection, 0);
        deliver(0, 1);
        assertEquals(0, memory.heldBytes(), "a QoS 0 message sent at once is not held");
        deliver(1, 5);
        assertEquals(5 * SIZE, memory.heldBytes(), "two in flight, three queued");
        confined.onPubAck(1);
        assertEquals(4 * SIZE, memory.heldBytes());
        connection.writable = false;
        deliver(0, 2);
        assertEquals(6 * SIZE, memory.heldBytes(), "QoS 0 queued behind the socket");
        session.detach(connection, null, 0);
        assertEquals(0, memory.heldBytes(), "the session ended: nothing held");
    }

    @Test
    void anOfflineSessionHoldsWhatItQueuesAndNothingItRefuses() {
        FakeConnection connection = new FakeConnection(loop);
        attach(connection, 60);
        connection.writable = false;
        deliver(0, 2);
        session.detach(connection, null, 0);
        assertEquals(0, memory.heldBytes(), "queued QoS 0 messages are dropped as the client goes");
        deliver(0, 1);
        deliver(2, 4);
        assertEquals(3 * SIZE, memory.heldBytes(), "QoS 0 dropped, one QoS 2 refused beyond the queue");
        session.end();
        assertEquals(0, memory.heldBytes());
    }

    @Test
    void messagesRestoredFromTheStoreAreHeldUntilAcknowledged() {
        session.restore(new Recovered.StoredSession("c", 60, System.currentTimeMillis(), Map.of(),
                List.of(new Recovered.StoredOutbound(1, message(1), Delivery.of(1, false), 7, false),
                        new Recovered.StoredOutbound(2, message(1), Delivery.of(1, false), 0, false)),
                Set.of(), null));
        assertEquals(2 * SIZE, memory.heldBytes(), "one in flight, one queued");
        SessionLoop confined = attach(new FakeConnection(loop), 60);
        confined.onPubAck(7);
        confined.onPubAck(8);
        assertEquals(0, memory.heldBytes());
    }

    private SessionLoop attach(FakeConnection connection, long expiryInterval) {
        AtomicReference<SessionLoop> attached = new AtomicReference<>();
        session.attach(connection, new ClientIdentity("c", null), ANYONE, expiryInterval, attached::set);
        assertNotNull(attached.get(), "attached");
        return attached.get();
    }
}
