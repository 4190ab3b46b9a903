package dev.midge.protocol;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A connection's deadlines: CONNECT within {@code midge.connect-timeout}, then one and a half keepalive periods
 * between packets. One timer wheel serves every connection, so an idle connection holds one wheel entry instead
 * of a pipeline handler and a scheduled task on its event loop (with 10,000 idle clients, their memory
 * mattered). The wheel's thread only hands the check to the connection's loop; reads are noted there, and
 * an entry is renewed only when it falls due, never per packet. The clock is read once per read burst, not
 * per packet: a burst takes microseconds, and a PUBLISH flood brings hundreds of packets in one.
 */
final class ConnectionDeadlines implements TimerTask {

    /** Coarse ticks are enough for deadlines of seconds; the wheel's thread sleeps between them. */
    private static final Timer WHEEL = new HashedWheelTimer(daemon(), 100, TimeUnit.MILLISECONDS, 512);

    private final ChannelHandlerContext ctx;
    private final Runnable onConnectTimeout;
    private Timeout pending;
    private boolean ended;
    /** When CONNECT must have completed (System.nanoTime), or 0 once it has. */
    private long connectBy;
    /** The longest silence allowed, or 0 for no keepalive. */
    private long keepaliveNanos;
    private long lastPacketNanos;
    /** A packet arrived since {@link #lastPacketNanos} was last set. */
    private boolean packetSinceClock;
    private final LongSupplier clock;

    /** @param onConnectTimeout runs on the connection's loop when CONNECT has not completed in time */
    ConnectionDeadlines(ChannelHandlerContext ctx, Runnable onConnectTimeout) {
        this(ctx, onConnectTimeout, System::nanoTime);
    }

    ConnectionDeadlines(ChannelHandlerContext ctx, Runnable onConnectTimeout, LongSupplier clock) {
        this.ctx = ctx;
        this.onConnectTimeout = onConnectTimeout;
        this.clock = clock;
    }

    /** Starts the connect deadline. On the connection's loop, as are all but {@link #run(Timeout)}. */
    void awaitConnect(long timeoutMillis) {
        connectBy = clock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        reschedule();
    }

    /** From now on, a silence longer than {@code limitMillis} fires an {@link IdleStateEvent} through the pipeline. */
    void keepalive(long limitMillis) {
        keepaliveNanos = TimeUnit.MILLISECONDS.toNanos(limitMillis);
        lastPacketNanos = clock.getAsLong();
        reschedule();
    }

    /** CONNECT has completed: the connect deadline ends; the keepalive, if any, goes on. */
    void connected() {
        connectBy = 0;
        reschedule();
    }

    void packetReceived() {
        packetSinceClock = true;
    }

    /** The socket has nothing more to read for now: the packets of this burst arrived now. */
    void readBurstEnded() {
        if (packetSinceClock) {
            packetSinceClock = false;
            lastPacketNanos = clock.getAsLong();
        }
    }

    /** No deadline any more: the connection is ending. */
    void end() {
        ended = true;
        reschedule();
    }

    /** On the wheel's thread: the check itself runs on the connection's loop. */
    @Override
    public void run(Timeout timeout) {
        if (!ctx.executor().isShuttingDown()) {
            ctx.executor().execute(() -> fallDue(timeout));
        }
    }

    /** The deadline that fell due, unless CONNECT has completed or a packet has moved it on since. */
    private void fallDue(Timeout timeout) {
        if (timeout != pending) {
            return; // replaced or cancelled after the wheel had fired it
        }
        pending = null;
        readBurstEnded();
        long now = clock.getAsLong();
        if (connectBy != 0 && now - connectBy >= 0) {
            onConnectTimeout.run();
        } else if (keepaliveNanos > 0 && now - lastPacketNanos >= keepaliveNanos) {
            ctx.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        } else {
            reschedule();
        }
    }

    /** One wheel entry, for the earlier of the two deadlines. */
    private void reschedule() {
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
        if (ended || (connectBy == 0 && keepaliveNanos == 0)) {
            return;
        }
        long now = clock.getAsLong();
        long due = keepaliveNanos == 0 ? connectBy : lastPacketNanos + keepaliveNanos;
        if (connectBy != 0 && connectBy - due < 0) {
            due = connectBy;
        }
        pending = WHEEL.newTimeout(this, Math.max(0, due - now), TimeUnit.NANOSECONDS);
    }

    private static ThreadFactory daemon() {
        return task -> {
            Thread thread = new Thread(task, "midge-connection-deadlines");
            thread.setDaemon(true);
            return thread;
        };
    }
}
