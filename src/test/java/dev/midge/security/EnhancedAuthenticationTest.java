package dev.midge.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.hivemq.client.mqtt.datatypes.MqttUtf8String;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig;
import com.hivemq.client.mqtt.mqtt5.auth.Mqtt5EnhancedAuthMechanism;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5Auth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5AuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import dev.midge.transport.MqttListener;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** MQTT 5 enhanced authentication: CONNECT with a method, AUTH challenge and response, CONNACK. */
@QuarkusTest
@Timeout(30)
class EnhancedAuthenticationTest {

    @Inject
    MqttListener listener;

    @Test
    void challengeAndResponseConnects() {
        AtomicReference<byte[]> successData = new AtomicReference<>();
        Mqtt5BlockingClient client = client("auth-ok", new ChallengeMechanism("hello", "nonce-1-signed", successData));
        try {
            Mqtt5ConnAck connAck = client.connect();
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, connAck.getReasonCode());
            assertEquals(ChallengeAuthenticator.METHOD, connAck.getEnhancedAuth().orElseThrow().getMethod().toString());
            assertArrayEquals("welcome".getBytes(), successData.get());
        } finally {
            client.disconnect();
        }
    }

    @Test
    void wrongResponseIsRefusedNotAuthorized() {
        Mqtt5BlockingClient client = client("auth-bad",
                new ChallengeMechanism("hello", "wrong", new AtomicReference<>()));
        Mqtt5ConnAckException refused = assertThrows(Mqtt5ConnAckException.class, client::connect);
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refused.getMqttMessage().getReasonCode());
    }

    @Test
    void unknownMethodIsRefusedBadAuthenticationMethod() {
        ChallengeMechanism mechanism = new ChallengeMechanism("hello", "nonce-1-signed", new AtomicReference<>()) {
            @Override
            public MqttUtf8String getMethod() {
                return MqttUtf8String.of("no-such-method");
            }
        };
        Mqtt5BlockingClient client = client("auth-unknown", mechanism);
        Mqtt5ConnAckException refused = assertThrows(Mqtt5ConnAckException.class, client::connect);
        assertEquals(Mqtt5ConnAckReasonCode.BAD_AUTHENTICATION_METHOD, refused.getMqttMessage().getReasonCode());
    }

    private Mqtt5BlockingClient client(String id, Mqtt5EnhancedAuthMechanism mechanism) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(listener.port())
                .enhancedAuth(mechanism).buildBlocking();
    }

    /** The client side of {@link ChallengeAuthenticator}. */
    private static class ChallengeMechanism implements Mqtt5EnhancedAuthMechanism {
        private final String opening;
        private final String answer;
        private final AtomicReference<byte[]> successData;

        ChallengeMechanism(String opening, String answer, AtomicReference<byte[]> successData) {
            this.opening = opening;
            this.answer = answer;
            this.successData = successData;
        }

        @Override
        public MqttUtf8String getMethod() {
            return MqttUtf8String.of(ChallengeAuthenticator.METHOD);
        }

        @Override
        public int getTimeout() {
            return 10;
        }

        @Override
        public CompletableFuture<Void> onAuth(Mqtt5ClientConfig config, Mqtt5Connect connect,
                Mqtt5EnhancedAuthBuilder auth) {
            auth.data(opening.getBytes());
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> onReAuth(Mqtt5ClientConfig config, Mqtt5AuthBuilder auth) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Boolean> onServerReAuth(Mqtt5ClientConfig config, Mqtt5Auth auth,
                Mqtt5AuthBuilder authBuilder) {
            return CompletableFuture.completedFuture(false);
        }

        @Override
        public CompletableFuture<Boolean> onContinue(Mqtt5ClientConfig config, Mqtt5Auth auth,
                Mqtt5AuthBuilder authBuilder) {
            byte[] challenge = bytes(auth.getData().orElse(ByteBuffer.allocate(0)));
            assertArrayEquals(ChallengeAuthenticator.NONCE, challenge);
            authBuilder.data(answer.getBytes());
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletableFuture<Boolean> onAuthSuccess(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
            successData.set(connAck.getEnhancedAuth().flatMap(a -> a.getData()).map(ChallengeMechanism::bytes)
                    .orElse(null));
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletableFuture<Boolean> onReAuthSuccess(Mqtt5ClientConfig config, Mqtt5Auth auth) {
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public void onAuthRejected(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
        }

        @Override
        public void onReAuthRejected(Mqtt5ClientConfig config, Mqtt5Disconnect disconnect) {
        }

        @Override
        public void onAuthError(Mqtt5ClientConfig config, Throwable cause) {
        }

        @Override
        public void onReAuthError(Mqtt5ClientConfig config, Throwable cause) {
        }

        private static byte[] bytes(ByteBuffer buffer) {
            byte[] out = new byte[buffer.remaining()];
            buffer.duplicate().get(out);
            return out;
        }
    }
}
