package dev.midge.transport;

import dev.midge.limits.LimitKind;
import dev.midge.limits.Limits;
import dev.midge.limits.TokenBucket;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.jboss.logging.Logger;

/**
 * {@code midge.limits.connection-rate} of one listener: on its server channel, ahead of Netty's acceptor, so a
 * connection beyond the rate is closed as it is accepted, before it is registered with a loop, before TLS and
 * before any handler is made for it. A server channel reads on one acceptor thread, so the bucket needs no lock.
 * One per listener, as each listener has its own rate. Installed whether a rate is set or not, so that a reload
 * can set one: without a rate it costs a volatile read per accepted connection.
 */
final class AcceptRateLimit extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(AcceptRateLimit.class);
    /** Refusals are logged once a minute at most, with how many there were. */
    private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

    private final Limits limits;
    /** Null without a rate. */
    private TokenBucket bucket;
    /** The {@link Limits#generation()} the bucket was made for. */
    private int generation;
    private final String listener;
    private long refusedSinceLog;
    private long loggedAt;
    private boolean logged;

    /** @param listener the listener's port key, as its log lines name it */
    AcceptRateLimit(Limits limits, String listener) {
        this.limits = limits;
        this.listener = listener;
        this.generation = limits.generation();
        this.bucket = limits.newConnectionBucket(limits.nanoTime());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long now = limits.nanoTime();
        int current = limits.generation();
        if (current != generation) {
            // Reloaded: the new rate starts with a full burst.
            generation = current;
            bucket = limits.newConnectionBucket(now);
        }
        if (bucket == null || !(msg instanceof Channel child) || bucket.tryTake(1, now)) {
            ctx.fireChannelRead(msg);
            return;
        }
        limits.counters().exceeded(LimitKind.CONNECTION_RATE);
        // Not registered with a loop yet: closed right here, as Netty's acceptor closes a child it cannot register.
        child.unsafe().closeForcibly();
        refusedSinceLog++;
        if (!logged || now - loggedAt >= LOG_INTERVAL_NANOS) {
            LOG.warnf("The listener of %s refused %d connection(s) over midge.limits.connection-rate=%s/s", listener,
                    refusedSinceLog, bucket.ratePerSecond());
            logged = true;
            loggedAt = now;
            refusedSinceLog = 0;
        }
    }
}
