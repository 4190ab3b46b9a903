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
 * One per listener, as each listener has its own rate.
 */
final class AcceptRateLimit extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(AcceptRateLimit.class);
    /** Refusals are logged once a minute at most, with how many there were. */
    private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

    private final TokenBucket bucket;
    private final Limits limits;
    private final String listener;
    private long refusedSinceLog;
    private long loggedAt;
    private boolean logged;

    private AcceptRateLimit(TokenBucket bucket, Limits limits, String listener) {
        this.bucket = bucket;
        this.limits = limits;
        this.listener = listener;
    }

    /**
     * The handler of one listener, or null without {@code midge.limits.connection-rate}.
     *
     * @param listener the listener's port key, as its log lines name it
     */
    static AcceptRateLimit of(Limits limits, String listener) {
        TokenBucket bucket = limits.newConnectionBucket(limits.nanoTime());
        return bucket == null ? null : new AcceptRateLimit(bucket, limits, listener);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long now = limits.nanoTime();
        if (!(msg instanceof Channel child) || bucket.tryTake(1, now)) {
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
