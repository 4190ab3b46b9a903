package dev.midge.mqtt5;

import dev.midge.mqtt5.RawMqtt5Client.Props;
import dev.midge.mqtt5.RawMqtt5Client.Will;
import dev.midge.testing.BrokerTestBase;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the MQTT 5 conformance tests: {@link BrokerTestBase}'s listener, statistics and MQTT 3.1.1 clients, plus
 * HiveMQ MQTT 5 clients and raw MQTT 5 sockets, all closed after each test.
 */
abstract class Mqtt5TestBase extends BrokerTestBase {

    protected Mqtt5Clients clients;

    private final List<RawMqtt5Client> rawClients = new ArrayList<>();

    @BeforeEach
    void openMqtt5Clients() {
        clients = new Mqtt5Clients(listener.port());
    }

    @AfterEach
    void closeMqtt5Clients() throws IOException {
        clients.close();
        for (RawMqtt5Client raw : rawClients) {
            raw.close();
        }
        rawClients.clear();
    }

    /** A raw MQTT 5 connection the broker accepted, with Clean Start and no CONNECT properties. */
    protected RawMqtt5Client rawClient(String clientId) throws IOException {
        return rawClient(clientId, Props.none());
    }

    /** A raw MQTT 5 connection the broker accepted, with Clean Start and the CONNECT properties. */
    protected RawMqtt5Client rawClient(String clientId, Props properties) throws IOException {
        return rawClient(clientId, properties, null);
    }

    /** The same with a will (none when null). Closing the client drops the connection without DISCONNECT. */
    protected RawMqtt5Client rawClient(String clientId, Props properties, Will will) throws IOException {
        RawMqtt5Client client = new RawMqtt5Client(listener.port());
        rawClients.add(client);
        client.connectAccepted(clientId, true, properties, will);
        return client;
    }
}
