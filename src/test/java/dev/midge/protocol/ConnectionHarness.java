package dev.midge.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.midge.config.MidgeConfig;
import dev.midge.message.TopicFilter;
import dev.midge.message.TopicName;
import dev.midge.limits.Limits;
import dev.midge.persistence.BrokerStore;
import dev.midge.persistence.DisabledStore;
import dev.midge.routing.Router;
import dev.midge.security.Authenticator;
import dev.midge.security.Authorizer;
import dev.midge.security.ClientIdentity;
import dev.midge.security.EnhancedAuthenticator;
import dev.midge.security.EnhancedAuthenticators;
import dev.midge.security.ListenerSecurity;
import dev.midge.security.LoginThrottle;
import dev.midge.session.Session;
import dev.midge.session.SessionLoop;
import dev.midge.session.SessionRegistry;
import dev.midge.stats.BrokerStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.enterprise.inject.Instance;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One broker's connection-facing parts as plain objects, with the store off, and connections as
 * {@link EmbeddedChannel}s holding only an {@link MqttConnection}: packets go in as Netty's MQTT messages and
 * come out the same way, with no codec and no Quarkus. An embedded channel's loop runs its tasks on the test's
 * thread, so a session and its connections run there too.
 */
final class ConnectionHarness {

    /** The password every user must give. */
    static final String PASSWORD = "secret";
    /** Topics under this prefix may be neither published to nor subscribed to. */
    static final String FORBIDDEN = "forbidden/";
    static final int RECEIVE_MAXIMUM = 3;

    private static final MidgeConfig CONFIG = new SmallRyeConfigBuilder()
            .withConverter(Duration.class, 100, new DurationConverter())
            .withMapping(MidgeConfig.class)
            .withDefaultValues(Map.of(
                    "midge.receive-maximum", Integer.toString(RECEIVE_MAXIMUM),
                    "midge.persistence.enabled", "false"))
            .build()
            .getConfigMapping(MidgeConfig.class);

    final BrokerStats stats = new BrokerStats();

    /** The broker's defaults, with a small Receive Maximum and the store off. */
    static MidgeConfig config() {
        return CONFIG;
    }

    final SessionRegistry sessions;
    private final ConnectionServices services;
    private final ListenerSecurity security = new ListenerSecurity(ConnectionHarness::checkPassword,
            new ForbiddenPrefix());

    ConnectionHarness() {
        this(CONFIG, new Limits(CONFIG.limits(), System::nanoTime));
    }

    /** With {@code config}'s settings and these limits, which may run on a test's clock. */
    ConnectionHarness(MidgeConfig config, Limits limits) {
        this(config, limits, new DisabledStore());
    }

    /** With a store of the test's own. */
    ConnectionHarness(BrokerStore store) {
        this(CONFIG, new Limits(CONFIG.limits(), System::nanoTime), store);
    }

    private ConnectionHarness(MidgeConfig config, Limits limits, BrokerStore store) {
        Router router = new Router(store);
        sessions = new SessionRegistry(router, stats, config, security.authorizer(), store, limits);
        services = new ConnectionServices(router, sessions, stats, config, new EnhancedAuthenticators(none()),
                store, new LoginThrottle(100, 60_000), limits);
    }

    /** A new connection, active, before CONNECT. */
    EmbeddedChannel open() {
        return new EmbeddedChannel(new MqttConnection(services, security, null, services.config().maxPacketSize()));
    }

    /** A new connection that sent CONNECT and got the accepting CONNACK. */
    EmbeddedChannel connected(MqttVersion version, String clientId) {
        EmbeddedChannel channel = open();
        MqttConnAckMessage connAck = connect(channel, version, clientId, PASSWORD);
        assertEquals(MqttConnectReturnCode.CONNECTION_ACCEPTED, connAck.variableHeader().connectReturnCode());
        return channel;
    }

    /** Sends CONNECT with a clean start and returns the CONNACK. */
    static MqttConnAckMessage connect(EmbeddedChannel channel, MqttVersion version, String clientId,
            String password) {
        MqttMessage connect = MqttMessageBuilders.connect().protocolVersion(version).clientId(clientId)
                .cleanSession(true).keepAlive(0).username("user")
                .password(password.getBytes(StandardCharsets.UTF_8)).build();
        return assertInstanceOf(MqttConnAckMessage.class, send(channel, connect));
    }

    Router router() {
        return services.router();
    }

    /** What a reload of {@code midge.max-payload-size} and {@code midge.retain-available} changes. */
    PublishTerms publishTerms() {
        return services.publishTerms();
    }

    Session session(String clientId) {
        return sessions.find(clientId).orElseThrow();
    }

    /** The session's loop-confined part; the embedded channel's loop is every thread's, so this answers at once. */
    SessionLoop sessionLoop(String clientId) {
        return session(clientId).query(loop -> loop).toCompletableFuture().join();
    }

    /** Hands the packet to the connection and returns the first packet it wrote back, or null. */
    static MqttMessage send(EmbeddedChannel channel, MqttMessage packet) {
        channel.writeInbound(packet);
        return next(channel);
    }

    /** The next packet the connection wrote, or null when it wrote none. */
    static MqttMessage next(EmbeddedChannel channel) {
        channel.runPendingTasks();
        Object out;
        while ((out = channel.readOutbound()) != null) {
            if (out instanceof MqttMessage packet) {
                return packet;
            }
            if (out instanceof ByteBuf encoded) {
                return decoded(encoded);
            }
        }
        return null;
    }

    /** A packet the connection wrote encoded already (a QoS 0 PUBLISH shared by the subscribers of a loop). */
    static MqttMessage decoded(ByteBuf encoded) {
        EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder());
        decoder.writeInbound(encoded);
        MqttMessage packet = decoder.readInbound();
        decoder.finishAndReleaseAll();
        return packet;
    }

    /** Every packet the connection wrote since last asked. */
    static List<MqttMessage> all(EmbeddedChannel channel) {
        List<MqttMessage> packets = new ArrayList<>();
        for (MqttMessage packet = next(channel); packet != null; packet = next(channel)) {
            packets.add(packet);
        }
        return packets;
    }

    static MqttPublishMessage publish(String topic, int qos, int packetId, MqttProperties properties) {
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.valueOf(qos),
                false, 0), new MqttPublishVariableHeader(topic, packetId, properties),
                Unpooled.wrappedBuffer("hello".getBytes(StandardCharsets.UTF_8)));
    }

    static MqttPublishMessage publish(String topic, int qos, int packetId) {
        return publish(topic, qos, packetId, MqttProperties.NO_PROPERTIES);
    }

    /** PUBACK, PUBREC, PUBREL or PUBCOMP from the client. */
    static MqttMessage ack(MqttMessageType type, int packetId, int reasonCode) {
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        return new MqttMessage(new MqttFixedHeader(type, false, qos, false, 0),
                new MqttPubReplyMessageVariableHeader(packetId, (byte) reasonCode, MqttProperties.NO_PROPERTIES));
    }

    static int packetId(MqttMessage packet) {
        return ((MqttMessageIdVariableHeader) packet.variableHeader()).messageId();
    }

    /** The reason code of an MQTT 5 acknowledgement or DISCONNECT. */
    static int reasonCode(MqttMessage packet) {
        Object header = packet.variableHeader();
        if (header instanceof MqttPubReplyMessageVariableHeader reply) {
            return reply.reasonCode() & 0xFF;
        }
        return ((MqttReasonCodeAndPropertiesVariableHeader) header).reasonCode() & 0xFF;
    }

    private static CompletableFuture<Authenticator.Outcome> checkPassword(String clientId, String username,
            byte[] password) {
        boolean right = password != null && PASSWORD.equals(new String(password, StandardCharsets.UTF_8));
        return CompletableFuture.completedFuture(right ? Authenticator.Outcome.ACCEPTED
                : Authenticator.Outcome.BAD_CREDENTIALS);
    }

    /** CDI's Instance of no enhanced authenticators; EnhancedAuthenticators only iterates it. */
    @SuppressWarnings("unchecked")
    private static Instance<EnhancedAuthenticator> none() {
        return (Instance<EnhancedAuthenticator>) Proxy.newProxyInstance(ConnectionHarness.class.getClassLoader(),
                new Class<?>[] {Instance.class}, (proxy, method, args) -> {
                    if (method.getName().equals("forEach")) {
                        List.<EnhancedAuthenticator>of().forEach((Consumer<EnhancedAuthenticator>) args[0]);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Everything is allowed but topics and filters under {@link #FORBIDDEN}. */
    private static final class ForbiddenPrefix implements Authorizer {
        @Override
        public boolean canPublish(ClientIdentity client, TopicName topic) {
            return !topic.text().startsWith(FORBIDDEN);
        }

        @Override
        public boolean canSubscribe(ClientIdentity client, TopicFilter filter) {
            return !filter.text().startsWith(FORBIDDEN);
        }

        @Override
        public boolean canReceive(ClientIdentity client, TopicName topic) {
            return true;
        }

        @Override
        public boolean isRestrictive() {
            return true;
        }
    }
}
