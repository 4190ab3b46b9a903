package dev.midge.routing;

import dev.midge.message.Delivery;
import dev.midge.message.Message;

/**
 * Something a message can be routed to: a client session. It is congested while it holds more undelivered
 * messages than it should; {@link #congestedTooLong()} means its client is not reading.
 */
public interface Subscriber extends Congestion {

    /** The client id, which No Local compares with a message's origin. */
    String clientId();

    /** Hands a message to this subscriber. Called from any thread; the subscriber moves the work to its own. */
    void deliver(Message message, Delivery delivery);

    /** True while a client is connected to it; a shared subscription prefers such members. */
    boolean isOnline();
}
