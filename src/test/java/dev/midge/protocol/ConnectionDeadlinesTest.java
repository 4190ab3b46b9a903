package dev.midge.protocol;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The shared wheel's deadlines, on an in-memory channel whose loop the test runs by hand. */
class ConnectionDeadlinesTest {

    private final List<Object> events = new ArrayList<>();
    private final AtomicInteger connectTimeouts = new AtomicInteger();
    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            events.add(event);
        }
    });
    private final ConnectionDeadlines deadlines = new ConnectionDeadlines(channel.pipeline().firstContext(),
            connectTimeouts::incrementAndGet);

    @Test
    void connectDeadlineFiresWhenConnectDoesNotComplete() {
        deadlines.awaitConnect(100);
        await().atMost(Duration.ofSeconds(5)).until(() -> runLoop() && connectTimeouts.get() == 1);
        assertTrue(events.isEmpty());
    }

    @Test
    void completedConnectCancelsItsDeadline() {
        deadlines.awaitConnect(100);
        deadlines.connected();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> runLoop() && connectTimeouts.get() == 0);
    }

    @Test
    void silenceLongerThanTheKeepaliveFiresAnIdleEvent() {
        deadlines.keepalive(200);
        deadlines.connected();
        await().atMost(Duration.ofSeconds(5)).until(() -> runLoop() && !events.isEmpty());
        assertTrue(events.get(0) instanceof IdleStateEvent);
        assertEquals(0, connectTimeouts.get());
    }

    @Test
    void packetsKeepTheConnectionAliveAndEndStopsEverything() {
        deadlines.keepalive(300);
        deadlines.connected();
        // A packet every poll (100 ms) against a keepalive of 300 ms: never idle.
        await().during(Duration.ofMillis(900)).atMost(Duration.ofSeconds(5)).until(() -> {
            deadlines.packetReceived();
            deadlines.readBurstEnded();
            return runLoop() && events.isEmpty();
        });
        deadlines.end();
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5))
                .until(() -> runLoop() && events.isEmpty());
    }

    @Test
    void theClockIsReadOncePerReadBurstNotPerPacket() {
        AtomicInteger clockReads = new AtomicInteger();
        ConnectionDeadlines counted = new ConnectionDeadlines(channel.pipeline().firstContext(),
                connectTimeouts::incrementAndGet, () -> {
                    clockReads.incrementAndGet();
                    return System.nanoTime();
                });
        counted.keepalive(60_000);
        counted.connected();
        int before = clockReads.get();
        for (int i = 0; i < 500; i++) {
            counted.packetReceived();
        }
        counted.readBurstEnded();
        counted.readBurstEnded();
        assertEquals(before + 1, clockReads.get());
        counted.end();
    }

    /** Runs what the wheel handed to the channel's loop; always true, to be polled. */
    private boolean runLoop() {
        channel.runPendingTasks();
        return true;
    }
}
