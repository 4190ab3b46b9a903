package dev.midge.routing;

/** Something a message can be routed to: a client session. */
public interface Subscriber {

    /**
     * Hands a message to this subscriber. Called from any thread; the subscriber moves the work to its own.
     *
     * @param qos the QoS to deliver with, already reduced to the subscription's granted QoS
     * @param retain the retain flag to deliver with
     */
    void deliver(Message message, int qos, boolean retain);

    /**
     * True while this subscriber holds more undelivered QoS 1/2 messages than it should: publishers feeding it
     * stop reading until it catches up. Safe from any thread.
     */
    boolean isCongested();

    /** Runs the callback once this subscriber is no longer congested; at once if it is not. Any thread. */
    void whenDecongested(Runnable callback);
}
