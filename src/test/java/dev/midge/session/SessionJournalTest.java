package dev.midge.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.config.MidgeConfig;
import dev.midge.limits.Limits;
import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;
import dev.midge.message.TopicFilter;
import dev.midge.persistence.DisabledStore;
import dev.midge.routing.Router;
import dev.midge.security.Authorizer;
import dev.midge.security.ClientIdentity;
import dev.midge.stats.BrokerStats;
import dev.midge.testing.AllowAll;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What a session hands its journal, with plain objects: an embedded event loop (every task runs on the calling
 * thread), a router and registry without a store, and a journal that records its calls.
 */
class SessionJournalTest {

    private static final MidgeConfig CONFIG = new SmallRyeConfigBuilder()
            .withConverter(Duration.class, 100, new DurationConverter())
            .withMapping(MidgeConfig.class)
            .withDefaultValues(Map.of("midge.persistence.enabled", "false"))
            .build()
            .getConfigMapping(MidgeConfig.class);

    private static final Authorizer ANYONE = new AllowAll();

    private final EventLoop loop = new EmbeddedChannel().eventLoop();
    private final Router router = new Router(new DisabledStore());
    private final BrokerStats stats = new BrokerStats();
    private final Limits limits = new Limits(CONFIG);
    private final SessionRegistry registry = new SessionRegistry(router, stats, CONFIG, ANYONE, new DisabledStore(),
            limits);
    private final List<String> calls = new ArrayList<>();

    /** Records each call by name, with its filter or packet id; durable from a putSession to a removeSession. */
    private SessionJournal recordingJournal() {
        boolean[] durable = {false};
        return (SessionJournal) Proxy.newProxyInstance(SessionJournal.class.getClassLoader(),
                new Class<?>[] {SessionJournal.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    boolean named = args != null && (args[0] instanceof String || args[0] instanceof Integer);
                    calls.add(named ? name + " " + args[0] : name);
                    return switch (name) {
                        case "addOutbound" -> durable[0] ? 7L : 0L;
                        case "putSession" -> {
                            boolean became = !durable[0];
                            durable[0] = true;
                            yield became;
                        }
                        case "removeSession" -> {
                            boolean was = durable[0];
                            durable[0] = false;
                            yield was;
                        }
                        default -> null;
                    };
                });
    }

    private static Message message(String topic, int qos) {
        return new Message(topic, "x".getBytes(StandardCharsets.UTF_8), qos, false);
    }

    @Test
    void aDurableSessionJournalsEachChangeAsItHappens() {
        Session session = new Session("c", 60, loop, new SessionLimits(10, 100, limits.memory()), router, stats,
                registry, ANYONE, recordingJournal());
        FakeConnection connection = new FakeConnection(loop);
        SessionLoop confined = attach(session, connection, 60);
        assertEquals(List.of("putSession"), calls, "attached with an expiry interval: durable");

        calls.clear();
        confined.subscribe(TopicFilter.of("a/#"), new SubscriptionOptions(1, false, false, 0, 0));
        session.deliver(message("a/b", 1), Delivery.of(1, false));
        assertTrue(confined.onPubAck(1));
        assertTrue(confined.awaitingRelease().add(5));
        assertTrue(confined.awaitingRelease().remove(5));
        assertTrue(confined.unsubscribe("a/#"));
        assertEquals(List.of("putSubscription a/#", "addOutbound", "arrived", "inFlight", "finished",
                "addAwaitingRelease 5", "removeAwaitingRelease 5", "removeSubscription a/#"), calls);

        calls.clear();
        session.detach(connection, message("will", 0), 30);
        assertEquals(List.of("putSession", "putWill"), calls, "offline with a delayed will");

        calls.clear();
        attach(session, new FakeConnection(loop), 60);
        assertEquals(List.of("removeWill", "putSession"), calls, "back before the will was due");
    }

    @Test
    void aSessionThatEndsWithItsConnectionIsNeverWritten() {
        Session session = new Session("c", 0, loop, new SessionLimits(10, 100, limits.memory()), router, stats,
                registry, ANYONE, recordingJournal());
        FakeConnection connection = new FakeConnection(loop);
        attach(session, connection, 0);
        session.detach(connection, null, 0);

        assertTrue(calls.stream().noneMatch(c -> c.equals("putSession")), calls.toString());
        assertTrue(calls.contains("removeSession"), calls.toString());
    }

    private static SessionLoop attach(Session session, FakeConnection connection, long expiryInterval) {
        AtomicReference<SessionLoop> attached = new AtomicReference<>();
        session.attach(connection, new ClientIdentity("c", null), ANYONE, expiryInterval, attached::set);
        assertNotNull(attached.get(), "attached");
        return attached.get();
    }
}
