package dev.midge.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midge.config.MidgeConfig;
import dev.midge.limits.Limits;
import dev.midge.limits.LimitsSettings;
import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;
import dev.midge.persistence.DisabledStore;
import dev.midge.persistence.Recovered;
import dev.midge.routing.Router;
import dev.midge.security.Authorizer;
import dev.midge.stats.BrokerStats;
import dev.midge.testing.AllowAll;
import dev.midge.testing.RecordingSubscriber;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A session that moves to another node hands its plain subscriptions to what sends their messages on, and so
 * does a message matched to the session a moment before it left; a session brought here takes each publication
 * once, however many ways it comes.
 */
class SessionMoveTest {

    private static final MidgeConfig CONFIG = LimitsSettings.config(Map.of("midge.persistence.enabled", "false"));
    private static final Authorizer ANYONE = new AllowAll();

    private final EventLoop loop = new EmbeddedChannel().eventLoop();
    private final Router router = new Router(new DisabledStore());
    private final SessionRegistry registry = new SessionRegistry(router, new BrokerStats(), CONFIG, ANYONE,
            new DisabledStore(), new Limits(CONFIG));
    private final RecordingSubscriber forwarder = new RecordingSubscriber("c");

    private static Message on(String topic, long serial) {
        return new Message(topic, new byte[] {1}, 1, false).withSerial(serial);
    }

    private Session restored(Map<String, SubscriptionOptions> subscriptions) {
        registry.restore(new Recovered.StoredSession("c", 60, 0, subscriptions, List.of(), Set.of(), null), loop);
        return registry.find("c").orElseThrow();
    }

    @Test
    void aMovingSessionHandsItsPlainSubscriptionsAndLateMessagesToItsForwarder() {
        Session session = restored(Map.of("a/#", SubscriptionOptions.ofQos(1), "$share/g/b",
                SubscriptionOptions.ofQos(1)));

        Map<String, SubscriptionOptions> taken = registry.handOver("c", false, forwarder).toCompletableFuture()
                .join();
        assertEquals(Set.of("a/#"), taken.keySet(), "the shared group is served by its members elsewhere");

        router.publish(on("a/1", 1));
        session.deliver(on("a/2", 2), Delivery.of(1, false));
        assertEquals(List.of("a/1", "a/2"), forwarder.topics,
                "by its route, and matched to the session just before it left");
    }

    @Test
    void aSessionBroughtHereTakesEachPublicationOnce() {
        Session session = restored(Map.of("a/#", SubscriptionOptions.ofQos(1)));

        session.deliver(on("a/1", 7), Delivery.of(1, false));
        session.deliver(on("a/1", 7), Delivery.of(1, false));
        session.deliver(on("a/2", 8), Delivery.of(1, false));

        assertEquals(2, session.query(SessionLoop::describe).toCompletableFuture().join().queued(),
                "the second copy of serial 7 is dropped");
    }
}
