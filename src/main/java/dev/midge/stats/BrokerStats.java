package dev.midge.stats;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.LongAdder;

/** Broker-wide counters, updated on the message path without locks or lookups. */
@ApplicationScoped
public class BrokerStats {

    private final LongAdder droppedQueueFull = new LongAdder();
    private final LongAdder droppedNotWritable = new LongAdder();
    private final LongAdder droppedQos0Offline = new LongAdder();
    private final LongAdder droppedExpired = new LongAdder();
    private final LongAdder droppedTooLarge = new LongAdder();
    private final LongAdder connectionsRefused = new LongAdder();
    private final LongAdder authFailures = new LongAdder();
    private final LongAdder tlsHandshakeFailures = new LongAdder();
    private final LongAdder unauthorized = new LongAdder();
    private final LongAdder messagesReceived = new LongAdder();
    private final LongAdder messagesSent = new LongAdder();

    /** A QoS 1/2 message not queued because the session's queue was full. */
    public void queueFull() {
        droppedQueueFull.increment();
    }

    /** A QoS 0 message not sent because the subscriber's socket could take no more. */
    public void notWritable() {
        droppedNotWritable.increment();
    }

    /** A QoS 0 message for an offline session, which MQTT does not queue. */
    public void qos0Offline() {
        droppedQos0Offline.increment();
    }

    /** A message whose Message Expiry Interval passed before it could be sent. */
    public void expired() {
        droppedExpired.increment();
    }

    /** A message not sent because the packet would exceed the client's Maximum Packet Size. */
    public void tooLarge() {
        droppedTooLarge.increment();
    }

    /** A CONNECT refused for its credentials. */
    public void authFailure() {
        authFailures.increment();
    }

    /** A PUBLISH or SUBSCRIBE the ACL refused. */
    public void unauthorized() {
        unauthorized.increment();
    }

    public void tlsHandshakeFailure() {
        tlsHandshakeFailures.increment();
    }

    public long tlsHandshakeFailures() {
        return tlsHandshakeFailures.sum();
    }

    public long authFailures() {
        return authFailures.sum();
    }

    public long unauthorizedCount() {
        return unauthorized.sum();
    }

    public void connectionRefused() {
        connectionsRefused.increment();
    }

    public void received() {
        messagesReceived.increment();
    }

    public void sent() {
        messagesSent.increment();
    }

    public long droppedQueueFull() {
        return droppedQueueFull.sum();
    }

    public long droppedNotWritable() {
        return droppedNotWritable.sum();
    }

    public long droppedQos0Offline() {
        return droppedQos0Offline.sum();
    }

    public long droppedExpired() {
        return droppedExpired.sum();
    }

    public long droppedTooLarge() {
        return droppedTooLarge.sum();
    }

    public long connectionsRefused() {
        return connectionsRefused.sum();
    }

    public long messagesReceived() {
        return messagesReceived.sum();
    }

    public long messagesSent() {
        return messagesSent.sum();
    }
}
