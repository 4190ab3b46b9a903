package dev.midge.bridge;

import dev.midge.config.MidgeConfig;
import dev.midge.persistence.BrokerStore;
import dev.midge.routing.Router;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The configured bridges ({@code midge.bridges.<name>.*}): started with the broker, stopped before it. */
@ApplicationScoped
public class Bridges {

    private final MidgeConfig config;
    private final Router router;
    private final BrokerStore store;
    private final Vertx vertx;
    private final MeterRegistry meters;
    private final List<Bridge> bridges = new ArrayList<>();

    public Bridges(MidgeConfig config, Router router, BrokerStore store, Vertx vertx, MeterRegistry meters) {
        this.config = config;
        this.router = router;
        this.store = store;
        this.vertx = vertx;
        this.meters = meters;
    }

    void start(@Observes StartupEvent event) {
        VertxInternal internal = (VertxInternal) vertx;
        for (Map.Entry<String, MidgeConfig.Bridge> entry : config.bridges().entrySet()) {
            String name = entry.getKey();
            Bridge bridge = new Bridge(name, entry.getValue(), topics(name, entry.getValue()),
                    BridgeTls.of("midge.bridges." + name, entry.getValue()), router, store,
                    (EventLoop) internal.getEventLoopGroup().next(), internal.transport().channelFactory(false));
            register(bridge);
            bridges.add(bridge);
            bridge.start();
        }
    }

    /** Every topic line parsed; a wrong one stops start-up, naming its key. */
    private static List<BridgeTopic> topics(String name, MidgeConfig.Bridge bridge) {
        String key = "midge.bridges." + name;
        if (!bridge.address().matches("[^:\\s]+(:\\d{1,5})?")) {
            throw new IllegalArgumentException(key + ".address=" + bridge.address() + ": expected host or host:port");
        }
        if (bridge.topics().isEmpty()) {
            throw new IllegalArgumentException(key + ".topics: a bridge needs at least one topic line");
        }
        List<BridgeTopic> topics = new ArrayList<>();
        for (int i = 0; i < bridge.topics().size(); i++) {
            try {
                topics.add(BridgeTopic.parse(bridge.topics().get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ".topics[" + i + "]: " + e.getMessage(), e);
            }
        }
        return topics;
    }

    private void register(Bridge bridge) {
        counter("midge.bridge.messages", "Messages carried by the bridge", "out", bridge, Bridge::messagesOut);
        counter("midge.bridge.messages", "Messages carried by the bridge", "in", bridge, Bridge::messagesIn);
        FunctionCounter.builder("midge.bridge.messages.dropped", bridge, Bridge::messagesDropped)
                .description("Outgoing messages dropped: QoS 0 while the remote broker was away, or the queue full")
                .tag("bridge", bridge.name()).register(meters);
        Gauge.builder("midge.bridge.queued", bridge, Bridge::queued)
                .description("Outgoing messages waiting for the remote broker").tag("bridge", bridge.name())
                .register(meters);
        Gauge.builder("midge.bridge.connected", bridge, b -> b.isConnected() ? 1 : 0)
                .description("1 while the bridge is connected to its remote broker").tag("bridge", bridge.name())
                .register(meters);
    }

    private void counter(String name, String description, String direction, Bridge bridge,
            ToDoubleFunction<Bridge> value) {
        FunctionCounter.builder(name, bridge, value).description(description)
                .tag("bridge", bridge.name()).tag("direction", direction).register(meters);
    }

    void stop(@Observes ShutdownEvent event) {
        bridges.forEach(Bridge::stop);
    }

    /** The bridges, in no particular order. */
    public List<Bridge> all() {
        return List.copyOf(bridges);
    }
}
