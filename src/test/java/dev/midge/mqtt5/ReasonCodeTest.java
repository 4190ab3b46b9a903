package dev.midge.mqtt5;

import static dev.midge.mqtt5.RawMqtt5Client.CONNACK;
import static dev.midge.mqtt5.RawMqtt5Client.CONTENT_TYPE;
import static dev.midge.mqtt5.RawMqtt5Client.REASON_STRING;
import static dev.midge.mqtt5.RawMqtt5Client.SUBACK;
import static dev.midge.mqtt5.RawMqtt5Client.SUBSCRIPTION_IDENTIFIER;
import static dev.midge.mqtt5.RawMqtt5Client.UNSUBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.mqtt5.RawMqtt5Client.Packet;
import dev.midge.mqtt5.RawMqtt5Client.Props;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reason codes the server sends (2.4): DISCONNECT before it closes a connection for a client's error
 * (4.13), with a Reason String (midge.reason-strings, on by default), and SUBACK and UNSUBACK per filter.
 */
@QuarkusTest
@Timeout(30)
class ReasonCodeTest extends Mqtt5TestBase {

    /** 2.2.2.2: a property identifier no packet has makes the packet malformed. */
    @Test
    void anUnknownPropertyIsMalformed0x81() throws Exception {
        try (RawMqtt5Client client = rawClient("rc-malformed")) {
            client.publish("rc/malformed", "x", 0, 0, false, Props.none().raw(0x7F, 0x00));
            client.expectDisconnect(0x81);
        }
    }

    /**
     * 3.3.2.3.9: a PUBLISH property that may appear once (here Content Type) appearing twice is a Protocol Error,
     * which closes the connection (MQTT-4.13.1-1), after a DISCONNECT 0x82.
     */
    @Test
    void aPropertyGivenTwiceIsAProtocolError0x82() throws Exception {
        try (RawMqtt5Client client = rawClient("rc-twice")) {
            client.publish("rc/twice", "x", 1, 1, false,
                    Props.of(CONTENT_TYPE, "text/plain").with(CONTENT_TYPE, "text/html"));
            client.expectDisconnect(0x82);
        }
    }

    /** 3.8.3.1: Maximum QoS 3 and Retain Handling 3 are Protocol Errors. */
    @ParameterizedTest
    @ValueSource(ints = {0x03, 0x30})
    void aThreeInQosOrRetainHandlingIsAnError(int options) throws Exception {
        try (RawMqtt5Client client = rawClient("rc-options-" + options)) {
            client.subscribe(1, Props.none(), options, "rc/options");
            client.expectDisconnect(0x82);
        }
    }

    /** MQTT-3.8.3-5: a SUBSCRIBE with a reserved Subscription Options bit (6 or 7) set is malformed, 0x81. */
    @ParameterizedTest
    @ValueSource(ints = {0x40, 0x80})
    void aReservedSubscriptionOptionBitIsMalformed0x81(int options) throws Exception {
        try (RawMqtt5Client client = rawClient("rc-reserved-" + options)) {
            client.subscribe(1, Props.none(), options, "rc/reserved");
            client.expectDisconnect(0x81);
        }
    }

    /** MQTT-3.1.0-2: a second CONNECT is a Protocol Error. */
    @Test
    void aSecondConnectIsAProtocolError0x82() throws Exception {
        try (RawMqtt5Client client = rawClient("rc-second-connect")) {
            client.connect("rc-second-connect", true, Props.none());
            client.expectDisconnect(0x82);
        }
    }

    /** 4.12: AUTH from a client whose CONNECT had no Authentication Method (nor has one itself): Protocol Error. */
    @Test
    void anAuthWithoutAMethodIsAProtocolError0x82() throws Exception {
        try (RawMqtt5Client client = rawClient("rc-auth")) {
            client.auth(0x18, Props.none());
            client.expectDisconnect(0x82);
        }
    }

    /** 3.8.2.1.2: a Subscription Identifier of 0 is a Protocol Error. */
    @Test
    void subscriptionIdentifierZeroIsAProtocolError0x82() throws Exception {
        try (RawMqtt5Client client = rawClient("rc-sid-zero")) {
            client.subscribe(1, Props.of(SUBSCRIPTION_IDENTIFIER, 0), 0, "rc/sid-zero");
            client.expectDisconnect(0x82);
        }
    }

    /** MQTT-3.3.4-6: a PUBLISH from a client must not carry a Subscription Identifier. */
    @Test
    void aSubscriptionIdentifierInAClientsPublishIsAProtocolError0x82() throws Exception {
        try (RawMqtt5Client client = rawClient("rc-publish-sid")) {
            client.publish("rc/publish-sid", "x", 0, 0, false, Props.of(SUBSCRIPTION_IDENTIFIER, 5));
            client.expectDisconnect(0x82);
        }
    }

    /** MQTT-3.1.2-22: nothing from the client for 1.5 times its keepalive of 1 s closes it, here with 0x8D. */
    @Test
    void keepAliveTimeoutIsDisconnect0x8D() throws Exception {
        try (RawMqtt5Client client = new RawMqtt5Client(listener.port())) {
            long connecting = System.currentTimeMillis();
            client.connect("rc-keepalive", true, 1, Props.none(), null).expect(CONNACK);
            client.expectDisconnect(0x8D);
            long silent = System.currentTimeMillis() - connecting;
            assertTrue(silent >= 1_500, "closed after " + silent + " ms of silence, before 1.5 x 1 s");
        }
    }

    /** MQTT-3.1.4-3: a second connection with the same client id takes over; the first hears 0x8E. */
    @Test
    void theFirstConnectionOfAClientIdHearsSessionTakenOver0x8E() throws Exception {
        try (RawMqtt5Client first = rawClient("rc-takeover"); RawMqtt5Client second = rawClient("rc-takeover")) {
            first.expectDisconnect(0x8E);
            second.pingPong();
        }
    }

    @Test
    void aServerDisconnectCarriesAReasonString() throws Exception {
        try (RawMqtt5Client client = rawClient("rc-reason-string")) {
            client.connect("rc-reason-string", true, Props.none());
            Packet disconnect = client.expectDisconnect(0x82);
            Object reason = disconnect.properties().get(REASON_STRING);
            assertInstanceOf(String.class, reason, disconnect.toString());
            assertFalse(((String) reason).isBlank());
        }
    }

    /** 3.11.3: one reason code per filter, 0x11 No subscription existed for one that was not there. */
    @Test
    void unsubAckSaysWhichSubscriptionsExisted() throws Exception {
        try (RawMqtt5Client client = rawClient("rc-unsuback")) {
            client.subscribed("rc/unsub/a", 1);
            client.unsubscribe(7, "rc/unsub/a", "rc/unsub/b");
            Packet unsubAck = client.expect(UNSUBACK);
            assertEquals(7, unsubAck.packetId());
            assertEquals(List.of(0x00, 0x11), unsubAck.reasonCodes(), unsubAck.toString());
        }
    }

    /** 3.9.3: MQTT 5 refuses a malformed filter in its SUBACK, 0x8F Topic Filter invalid, and grants the rest. */
    @Test
    void subAckRefusesAnInvalidFilterWith0x8F() throws Exception {
        try (RawMqtt5Client client = rawClient("rc-suback")) {
            client.subscribe(9, Props.none(), 1, "rc/ok/+", "rc/bad/#/more", "rc/bad+");
            Packet subAck = client.expect(SUBACK);
            assertEquals(9, subAck.packetId());
            assertEquals(List.of(0x01, 0x8F, 0x8F), subAck.reasonCodes(), subAck.toString());
        }
    }
}
