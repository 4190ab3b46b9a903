package dev.midge.session;

import dev.midge.message.Message;
import java.util.ArrayDeque;

/**
 * The retained messages of a session's new subscriptions still to be sent, handed to the session while its
 * client is online, its socket takes more and the backlog is below half the queue limit, so that they never
 * fill the queue to where messages are dropped. Part of {@link SessionLoop}, confined to the session's loop.
 */
final class RetainedFeeding {

    /** Starting capacity, as most sessions have no feed most of the time. */
    private static final int SMALL = 2;

    private final Session session;
    private final SessionLoop owner;
    private final int mark;
    /** Null until the first feed: most sessions never get one. */
    private ArrayDeque<RetainedFeed> feeds;
    private boolean feeding;

    RetainedFeeding(Session session, SessionLoop owner, SessionLimits limits) {
        this.session = session;
        this.owner = owner;
        this.mark = Math.max(1, limits.maxQueued() / 2);
    }

    void add(RetainedFeed feed) {
        if (feed.hasNext()) {
            if (feeds == null) {
                feeds = new ArrayDeque<>(SMALL);
            }
            feeds.add(feed);
            feed();
        }
    }

    /** Feeds what the attached connection and the backlog take now. */
    void feed() {
        if (feeding || feeds == null) {
            return;
        }
        feeding = true;
        try {
            while (!feeds.isEmpty() && owner.connection() != null && owner.connection().isWritable()
                    && session.queuedCount() < mark) {
                RetainedFeed feed = feeds.peek();
                if (feed.hasNext()) {
                    Message message = feed.next();
                    session.deliver(message, feed.deliveryFor(message));
                } else {
                    feeds.poll();
                }
            }
        } finally {
            feeding = false;
        }
    }

    void clear() {
        if (feeds != null) {
            feeds.clear();
        }
    }
}
