package dev.midge.bridge;

import dev.midge.config.IntegrationConfig;
import dev.midge.config.MidgeConfig;
import dev.midge.eventloop.EventLoops;
import dev.midge.routing.Router;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.reactive.messaging.connector.InboundConnector;
import io.smallrye.reactive.messaging.connector.OutboundConnector;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.util.AnnotationLiteral;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.jboss.logging.Logger;

/**
 * The configured integrations ({@code midge.integrations.<name>.*}): bridges whose far end is a Reactive
 * Messaging connector, looked up by name among the connectors the application has, so that one is added by
 * configuration alone. Made with the broker, stopped before it. Alone, a broker starts them all; in a cluster
 * each one runs on the node that owns it, started and stopped by {@link #run}.
 */
@ApplicationScoped
@RegisterForReflection(targets = {StringSerializer.class, ByteArraySerializer.class, StringDeserializer.class,
        ByteArrayDeserializer.class})
public class Integrations {

    private static final Logger LOG = Logger.getLogger(Integrations.class);
    static final String MQTT = "smallrye-mqtt";
    static final String KAFKA = "smallrye-kafka";
    /**
     * A Kafka record is keyed by the message's MQTT topic, with the payload as it is, unless told otherwise. The
     * Kafka client loads these by name, so a native build must keep them (registered above).
     */
    public static final Map<String, String> KAFKA_OUT = Map.of(
            "key.serializer", StringSerializer.class.getName(),
            "value.serializer", ByteArraySerializer.class.getName());
    public static final Map<String, String> KAFKA_IN = Map.of(
            "key.deserializer", StringDeserializer.class.getName(),
            "value.deserializer", ByteArrayDeserializer.class.getName());

    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final MidgeConfig config;
    private final Config converters;
    private final Router router;
    private final EventLoops loops;
    private final MeterRegistry meters;
    private final Instance<InboundConnector> inbound;
    private final Instance<OutboundConnector> outbound;
    private final MqttConnectorSessions mqttSessions;
    private final List<Integration> integrations = new ArrayList<>();
    /** Each integration's channels of its current run, by its name. */
    private final Map<String, List<String>> channels = new ConcurrentHashMap<>();

    public Integrations(MidgeConfig config, Config converters, Router router, EventLoops loops, MeterRegistry meters,
            @Any Instance<InboundConnector> inbound, @Any Instance<OutboundConnector> outbound,
            MqttConnectorSessions mqttSessions) {
        this.config = config;
        this.converters = converters;
        this.router = router;
        this.loops = loops;
        this.meters = meters;
        this.inbound = inbound;
        this.outbound = outbound;
        this.mqttSessions = mqttSessions;
    }

    public void start() {
        for (Map.Entry<String, IntegrationConfig> entry : config.integrations().entrySet()) {
            String name = entry.getKey();
            IntegrationConfig settings = entry.getValue();
            String key = "midge.integrations." + name;
            Integration integration = new Integration(name, settings.connector(),
                    Bridges.topics(key, settings.topics()), settings.maxQueued(), router,
                    loops.next());
            // A connector missing from the build stops start-up on every node, the ones that do not run it too.
            if (integration.sendsOut()) {
                connector(outbound, key, settings.connector(), "outgoing");
            }
            if (!integration.incomingTopics().isEmpty()) {
                connector(inbound, key, settings.connector(), "incoming");
            }
            register(integration);
            integrations.add(integration);
            if (!config.cluster().enabled()) {
                open(integration);
            }
        }
    }

    /** Opens (this node owns it now) or stops (it does not) the integration of that name. */
    public synchronized void run(String name, boolean owned) {
        for (Integration integration : integrations) {
            if (integration.name().equals(name) && owned != integration.isRunning()) {
                if (owned) {
                    open(integration);
                } else {
                    close(integration);
                    LOG.infof("Integration %s stopped", name);
                }
            }
        }
    }

    /** Opens the integration's channels on its connector. */
    private void open(Integration integration) {
        IntegrationConfig settings = config.integrations().get(integration.name());
        String key = "midge.integrations." + integration.name();
        if (integration.sendsOut()) {
            ChannelConfig channel = channel(integration, "-out", settings,
                    KAFKA.equals(settings.connector()) ? KAFKA_OUT : Map.of(), Map.of());
            integration.startOutgoing(connector(outbound, key, settings.connector(), "outgoing")
                    .getSubscriber(channel));
        }
        start(integration, key, settings);
        LOG.infof("Integration %s started on connector %s", integration.name(), settings.connector());
    }

    /**
     * The MQTT connector subscribes to one filter per channel: one channel per {@code in} line, for its remote
     * filter and QoS (whatever {@code topic} the attributes give the outgoing side). Other connectors take no MQTT
     * filter: one channel, its topics mapped by the lines.
     */
    private void start(Integration integration, String key, IntegrationConfig settings) {
        List<BridgeTopic> in = integration.incomingTopics();
        if (in.isEmpty()) {
            return;
        }
        InboundConnector connector = connector(inbound, key, settings.connector(), "incoming");
        if (MQTT.equals(settings.connector())) {
            for (int i = 0; i < in.size(); i++) {
                BridgeTopic t = in.get(i);
                ChannelConfig channel = channel(integration, "-in-" + i, settings, Map.of(),
                        Map.of("topic", t.remoteFilter(), "qos", String.valueOf(t.qos())));
                integration.startIncoming(connector.getPublisher(channel), channel.channel(), null);
            }
        } else {
            ChannelConfig channel = channel(integration, "-in", settings,
                    KAFKA.equals(settings.connector()) ? KAFKA_IN : Map.of(), Map.of());
            integration.startIncoming(connector.getPublisher(channel), channel.channel(),
                    channel.getOptionalValue("topic", String.class).orElse(null));
        }
    }

    /** The attributes over the defaults, and the fixed values over both; noted among the integration's channels. */
    private ChannelConfig channel(Integration integration, String suffix, IntegrationConfig settings,
            Map<String, String> defaults, Map<String, String> fixed) {
        Map<String, String> attributes = new HashMap<>(defaults);
        attributes.putAll(settings.attributes());
        attributes.putAll(fixed);
        String name = "midge-" + integration.name() + suffix;
        channels.computeIfAbsent(integration.name(), n -> new CopyOnWriteArrayList<>()).add(name);
        return new ChannelConfig(name, settings.connector(), attributes, converters);
    }

    /**
     * Stops it, then drops its channels' connector sessions: only once its outgoing channel's connector has been
     * told, on the loop where that channel took its session, so that no session of this run is left for the next.
     */
    private void close(Integration integration) {
        if (!integration.stop().awaitUninterruptibly(STOP_WAIT.toMillis())) {
            LOG.warnf("Integration %s: its outgoing channel was not ended within %s", integration.name(), STOP_WAIT);
        }
        List<String> closed = channels.remove(integration.name());
        if (closed != null) {
            mqttSessions.drop(closed);
        }
    }

    private static <T> T connector(Instance<T> connectors, String key, String name, String direction) {
        Instance<T> found = connectors.select(new ConnectorName(name));
        if (!found.isResolvable()) {
            throw new IllegalArgumentException(key + ".connector=" + name + ": no " + direction
                    + " Reactive Messaging connector of that name in this build");
        }
        return found.get();
    }

    private void register(Integration integration) {
        BridgeMeters.register(meters, integration.name(), integration, Integration::messagesOut,
                Integration::messagesIn, Integration::messagesDropped, i -> i.isIncomingOpen() ? 1 : 0);
    }

    public synchronized void stop() {
        integrations.forEach(this::close);
    }

    /** The integrations, in no particular order. */
    public List<Integration> all() {
        return List.copyOf(integrations);
    }

    @SuppressWarnings("all")
    private static final class ConnectorName extends AnnotationLiteral<Connector> implements Connector {
        private final String value;

        ConnectorName(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }
    }
}
