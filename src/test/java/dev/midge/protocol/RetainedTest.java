package dev.midge.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.Mqtt3Clients.Client;
import dev.midge.testing.Mqtt3Clients.Received;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Retained messages (MQTT 3.1.1 section 3.3.1.3). Retained messages are published at QoS 1, so that the PUBACK
 * tells the broker has them before a subscriber comes. Each test clears what it retained: the broker is shared.
 */
@QuarkusTest
@Timeout(30)
class RetainedTest extends BrokerTestBase {

    @Test
    void aNewSubscriberGetsTheRetainedMessageWithRetainFlag1() throws Exception {
        Client pub = mqtt3.connect("ret-stored-pub");
        try {
            pub.publish("ret/stored", "kept", 1, true);
            Client sub = mqtt3.connect("ret-stored-sub");
            sub.subscribe("ret/stored", 1);
            assertEquals(new Received("ret/stored", "kept", 1, true), sub.next());
        } finally {
            pub.publish("ret/stored", "", 1, true);
        }
    }

    @Test
    void aLiveForwardToAnExistingSubscriberHasRetainFlag0() throws Exception {
        Client sub = mqtt3.connect("ret-live-sub");
        sub.subscribe("ret/live", 1);
        Client pub = mqtt3.connect("ret-live-pub");
        try {
            pub.publish("ret/live", "live", 1, true);
            assertEquals(new Received("ret/live", "live", 1, false), sub.next());
        } finally {
            pub.publish("ret/live", "", 1, true);
        }
    }

    @Test
    void aNewRetainedMessageReplacesTheOld() throws Exception {
        Client pub = mqtt3.connect("ret-replace-pub");
        try {
            pub.publish("ret/replace", "old", 1, true);
            pub.publish("ret/replace", "new", 1, true);
            Client sub = mqtt3.connect("ret-replace-sub");
            sub.subscribe("ret/replace", 1);
            pub.publish("ret/replace", "marker", 1, false);
            assertEquals(List.of(new Received("ret/replace", "new", 1, true)), sub.receivedBefore("marker"));
        } finally {
            pub.publish("ret/replace", "", 1, true);
        }
    }

    @Test
    void anEmptyRetainedPayloadClearsTheRetainedMessage() throws Exception {
        Client pub = mqtt3.connect("ret-clear-pub");
        pub.publish("ret/clear", "to be cleared", 1, true);
        pub.publish("ret/clear", "", 1, true);
        Client sub = mqtt3.connect("ret-clear-sub");
        sub.subscribe("ret/clear", 1);
        pub.publish("ret/clear", "marker", 1, false);
        assertEquals(List.of(), sub.receivedBefore("marker"), "nothing retained before the marker");
    }
}
