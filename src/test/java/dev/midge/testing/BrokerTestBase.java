package dev.midge.testing;

import dev.midge.stats.BrokerStats;
import dev.midge.transport.MqttListener;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the broker tests ({@code @QuarkusTest} classes): the listener and statistics, MQTT 3.1.1 clients and raw
 * sockets that are all closed after each test, whatever happened in it.
 */
public abstract class BrokerTestBase {

    @Inject
    protected MqttListener listener;

    @Inject
    protected BrokerStats stats;

    protected Mqtt3Clients mqtt3;

    private final List<RawMqttClient> rawClients = new ArrayList<>();

    @BeforeEach
    void openClients() {
        mqtt3 = new Mqtt3Clients(listener.port());
    }

    @AfterEach
    void closeClients() {
        mqtt3.close();
        for (RawMqttClient raw : rawClients) {
            try {
                raw.close();
            } catch (IOException e) {
                // Closing a socket that is already gone.
            }
        }
        rawClients.clear();
    }

    /** A new raw socket to the broker, closed after the test. */
    protected RawMqttClient raw() throws IOException {
        return raw(listener.port());
    }

    /** A new raw socket to one of the broker's ports, closed after the test. */
    protected RawMqttClient raw(int port) throws IOException {
        RawMqttClient raw = new RawMqttClient(port);
        rawClients.add(raw);
        return raw;
    }
}
