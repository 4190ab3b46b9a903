package dev.midge.bridge;

import dev.midge.config.BridgeConfig;
import dev.midge.config.MidgeConfig;
import dev.midge.eventloop.EventLoops;
import dev.midge.persistence.BrokerStore;
import dev.midge.routing.Router;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The configured bridges ({@code midge.bridges.<name>.*}): made with the broker, stopped before it. Alone, a
 * broker starts them all; in a cluster each one runs on the node that owns it, started and stopped by
 * {@link #run}.
 */
@ApplicationScoped
public class Bridges {

    private final MidgeConfig config;
    private final Router router;
    private final BrokerStore store;
    private final EventLoops loops;
    private final MeterRegistry meters;
    private final List<Bridge> bridges = new ArrayList<>();

    public Bridges(MidgeConfig config, Router router, BrokerStore store, EventLoops loops, MeterRegistry meters) {
        this.config = config;
        this.router = router;
        this.store = store;
        this.loops = loops;
        this.meters = meters;
    }

    public void start() {
        for (Map.Entry<String, BridgeConfig> entry : config.bridges().entrySet()) {
            String name = entry.getKey();
            String key = "midge.bridges." + name;
            if (!entry.getValue().address().matches("[^:\\s]+(:\\d{1,5})?")) {
                throw new IllegalArgumentException(key + ".address=" + entry.getValue().address()
                        + ": expected host or host:port");
            }
            Bridge bridge = new Bridge(name, entry.getValue(), topics(key, entry.getValue().topics()),
                    BridgeTls.of(key, entry.getValue()), router, store,
                    loops.next(), loops.clientChannelFactory());
            register(bridge);
            bridges.add(bridge);
            if (!config.cluster().enabled()) {
                bridge.start();
            }
        }
    }

    /** Starts (this node owns it now) or stops (it does not) the bridge of that name. */
    public void run(String name, boolean owned) {
        for (Bridge bridge : bridges) {
            if (bridge.name().equals(name)) {
                if (owned) {
                    bridge.start();
                } else {
                    bridge.stop();
                }
            }
        }
    }

    /** Every topic line under {@code key.topics} parsed; a wrong one stops start-up, naming its key. */
    static List<BridgeTopic> topics(String key, List<String> lines) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(key + ".topics: at least one topic line is needed");
        }
        List<BridgeTopic> topics = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            try {
                topics.add(BridgeTopic.parse(lines.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ".topics[" + i + "]: " + e.getMessage(), e);
            }
        }
        return topics;
    }

    private void register(Bridge bridge) {
        BridgeMeters.register(meters, bridge.name(), bridge, Bridge::messagesOut, Bridge::messagesIn,
                Bridge::messagesDropped, b -> b.isConnected() ? 1 : 0);
        Gauge.builder("midge.bridge.queued", bridge, Bridge::queued)
                .description("Outgoing messages waiting for the remote broker").tag("bridge", bridge.name())
                .register(meters);
    }

    public void stop() {
        bridges.forEach(Bridge::stop);
    }

    /** The bridges, in no particular order. */
    public List<Bridge> all() {
        return List.copyOf(bridges);
    }
}
