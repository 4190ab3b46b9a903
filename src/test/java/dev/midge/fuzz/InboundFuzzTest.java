package dev.midge.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;

/**
 * Coverage-guided fuzzing of everything a client's bytes pass through: frame splitter, decoder, the protocol
 * handler with sessions and routing behind it, and WebSocket framing. Without JAZZER_FUZZ each target replays
 * its regression inputs (in the resources beside this class); with it, Jazzer fuzzes for maxDuration.
 */
class InboundFuzzTest extends BrokerWatchingTest {

    private static final String SHORT = "5s";
    private static final byte[] CONNECT_311 = new PacketEncoder(MqttVersion.MQTT_3_1_1).encode(
            MqttMessageBuilders.connect().clientId("fuzz-311").protocolVersion(MqttVersion.MQTT_3_1_1)
                    .cleanSession(true).build());
    private static final byte[] CONNECT_5 = new PacketEncoder(MqttVersion.MQTT_5).encode(
            MqttMessageBuilders.connect().clientId("fuzz-5").protocolVersion(MqttVersion.MQTT_5)
                    .cleanSession(true).build());

    @FuzzTest(maxDuration = SHORT)
    void rawBytes(byte[] input) {
        FuzzRun run = new FuzzRun(handled);
        feedInPieces(run.open(false), input);
        run.finish();
    }

    @FuzzTest(maxDuration = SHORT)
    void afterMqtt311Connect(byte[] input) {
        afterConnect(CONNECT_311, input);
    }

    @FuzzTest(maxDuration = SHORT)
    void afterMqtt5Connect(byte[] input) {
        afterConnect(CONNECT_5, input);
    }

    @FuzzTest(maxDuration = SHORT)
    void structuredPackets(FuzzedDataProvider data) {
        FuzzRun run = new FuzzRun(handled);
        new StructuredClient(data, run).play();
        run.finish();
    }

    @FuzzTest(maxDuration = SHORT)
    void webSocketFrames(FuzzedDataProvider data) {
        FuzzRun run = new FuzzRun(handled);
        new WebSocketClient(data).play(run.open(true));
        run.finish();
    }

    private static void afterConnect(byte[] connect, byte[] input) {
        FuzzRun run = new FuzzRun(handled);
        FuzzedConnection connection = run.open(false);
        if (connection.feed(connect)) {
            feedInPieces(connection, input);
        }
        run.finish();
    }

    /** Reads arrive in pieces of any size: the last byte of the input chooses the size. */
    private static void feedInPieces(FuzzedConnection connection, byte[] input) {
        if (input.length == 0) {
            return;
        }
        int piece = 1 + (input[input.length - 1] & 0xFF) * 4;
        for (int from = 0; from < input.length; from += piece) {
            if (!connection.feed(input, from, Math.min(piece, input.length - from))) {
                return;
            }
            connection.settle();
        }
    }
}
