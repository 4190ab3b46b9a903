package dev.midge.transport;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;

/**
 * The connection slots of one listener: each connection takes one under the listener's own limit and one under
 * the broker's ({@code midge.max-connections}), and gives both back when it closes.
 */
final class ListenerSlots implements ChannelFutureListener {

    private final ConnectionLimiter own;
    private final String ownKey;
    private final ConnectionLimiter broker;

    /**
     * @param max the listener's own limit, -1 for none
     * @param key the key of that limit, for the log
     */
    ListenerSlots(int max, String key, ConnectionLimiter broker) {
        this.own = new ConnectionLimiter(max);
        this.ownKey = key;
        this.broker = broker;
    }

    /** @return null when the connection got its slots, else the limit that is reached, as key=value */
    String take() {
        if (!own.tryAcquire()) {
            return ownKey + "=" + own.max();
        }
        if (!broker.tryAcquire()) {
            own.release();
            return "midge.max-connections=" + broker.max();
        }
        return null;
    }

    /** The listener's connections open now. */
    int open() {
        return own.open();
    }

    /** The connection closed. */
    @Override
    public void operationComplete(ChannelFuture closed) {
        own.release();
        broker.release();
    }
}
