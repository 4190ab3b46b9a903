package dev.midge.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What fuzzing found, each reduced to the sequence that shows it, checked with the fuzzer's invariants. */
class InboundFindingsTest extends BrokerWatchingTest {

    /**
     * A WebSocket frame that breaks the framing rules (a client's frame unmasked) makes Netty answer with a
     * Close frame; the MQTT 5 DISCONNECT that followed could no longer be sent, and its write failure came back
     * as an exception.
     */
    @Test
    void webSocketFramingErrorAfterConnect() {
        FuzzRun run = new FuzzRun(handled);
        FuzzedConnection connection = run.open(true);
        assertTrue(connection.feed(WebSocketClient.UPGRADE));
        assertTrue(connection.feed(WebSocketClient.binaryFrame(true, WebSocketClient.CONNECT)));

        assertFalse(connection.feed(WebSocketClient.binaryFrame(false, new byte[] {(byte) 0xC0, 0})));
        run.finish();
    }
}
