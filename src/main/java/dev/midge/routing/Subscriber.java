package dev.midge.routing;

import dev.midge.message.Delivery;
import dev.midge.message.Message;


/** Something a message can be routed to: a client session. */
public interface Subscriber {

    /** The client id, which No Local compares with a message's origin. */
    String clientId();

    /** Hands a message to this subscriber. Called from any thread; the subscriber moves the work to its own. */
    void deliver(Message message, Delivery delivery);

    /** True while a client is connected to it; a shared subscription prefers such members. */
    boolean isOnline();

    /**
     * True while this subscriber holds more undelivered messages than it should: publishers feeding it stop
     * reading until it catches up. Safe from any thread.
     */
    boolean isCongested();

    /** Runs the callback once this subscriber is no longer congested; at once if it is not. Any thread. */
    void whenDecongested(Runnable callback);

    /**
     * A publisher has waited {@code midge.slow-subscriber-timeout} for this subscriber without it catching up:
     * its client is not reading, and must not hold its publishers any longer. Any thread.
     */
    default void congestedTooLong() {
    }
}
