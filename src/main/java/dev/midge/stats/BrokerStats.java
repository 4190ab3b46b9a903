package dev.midge.stats;

import jakarta.inject.Singleton;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Broker-wide counters, updated on the message path without locks or lookups. A singleton, not application
 * scoped: every delivery counts here, and an application-scoped bean's client proxy looks the instance up on
 * each call.
 */
@Singleton
public class BrokerStats {

    private final LongAdder droppedQueueFull = new LongAdder();
    private final LongAdder droppedNotWritable = new LongAdder();
    private final LongAdder droppedQos0Offline = new LongAdder();
    private final LongAdder droppedExpired = new LongAdder();
    private final LongAdder droppedTooLarge = new LongAdder();
    private final LongAdder connectionsAccepted = new LongAdder();
    private final LongAdder connectionsRefused = new LongAdder();
    private final LongAdder authFailures = new LongAdder();
    private final LongAdder loginsThrottled = new LongAdder();
    private final LongAdder adminLoginsThrottled = new LongAdder();
    private final LongAdder slowSubscribersDisconnected = new LongAdder();
    private final LongAdder subscriptionsRefused = new LongAdder();
    private final LongAdder packetReadTimeouts = new LongAdder();
    private volatile LongConsumer deliveryLatency = nanos -> { };
    private final LongAdder tlsHandshakeFailures = new LongAdder();
    private final LongAdder unauthorized = new LongAdder();
    private final LongAdder clientsConnected = new LongAdder();
    /** Indexed by QoS, so counting one is an array access, not a lookup. */
    private final LongAdder[] messagesReceived = {new LongAdder(), new LongAdder(), new LongAdder()};
    private final LongAdder[] messagesSent = {new LongAdder(), new LongAdder(), new LongAdder()};
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();

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
    /** Where sampled publish-to-deliver latencies go (the meters, once registered). */
    public void onDeliveryLatency(LongConsumer recorder) {
        deliveryLatency = recorder;
    }

    /** A sampled message was written to a subscriber this long after it was received. */
    public void deliveryLatency(long nanos) {
        deliveryLatency.accept(nanos);
    }

    /** A client was disconnected for not reading while its publishers waited (midge.slow-subscriber-timeout). */
    public void slowSubscriberDisconnected() {
        slowSubscribersDisconnected.increment();
    }

    public long slowSubscribersDisconnected() {
        return slowSubscribersDisconnected.sum();
    }

    /** A subscription refused because its client holds midge.max-subscriptions-per-client already. */
    public void subscriptionRefused() {
        subscriptionsRefused.increment();
    }

    public long subscriptionsRefused() {
        return subscriptionsRefused.sum();
    }

    /** A connection closed because one packet took longer than midge.packet-read-timeout to arrive. */
    public void packetReadTimeout() {
        packetReadTimeouts.increment();
    }

    public long packetReadTimeouts() {
        return packetReadTimeouts.sum();
    }

    /** A CONNECT refused unchecked because its address failed to log in too often. */
    public void loginThrottled() {
        loginsThrottled.increment();
    }

    public long loginsThrottled() {
        return loginsThrottled.sum();
    }

    /** An HTTP request with admin credentials answered 429 unchecked: its address failed them too often. */
    public void adminLoginThrottled() {
        adminLoginsThrottled.increment();
    }

    public long adminLoginsThrottled() {
        return adminLoginsThrottled.sum();
    }

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

    /** A socket accepted within {@code midge.max-connections}. */
    public void connectionAccepted() {
        connectionsAccepted.increment();
    }

    public void connectionRefused() {
        connectionsRefused.increment();
    }

    /** A client's CONNECT was accepted (CONNACK sent). */
    public void clientConnected() {
        clientsConnected.increment();
    }

    /** The connection of a client whose CONNECT was accepted closed. */
    public void clientDisconnected() {
        clientsConnected.decrement();
    }

    /** An application message received from a client. */
    public void received(int qos) {
        messagesReceived[qos].increment();
    }

    /** An application message sent to a client, counted at the QoS it was sent with. */
    public void sent(int qos) {
        messagesSent[qos].increment();
    }

    /** Bytes read from client sockets. */
    public void bytesReceived(long bytes) {
        bytesReceived.add(bytes);
    }

    /** Bytes written to client sockets. */
    public void bytesSent(long bytes) {
        bytesSent.add(bytes);
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

    public long connectionsAccepted() {
        return connectionsAccepted.sum();
    }

    public long connectionsRefused() {
        return connectionsRefused.sum();
    }

    /** Clients whose CONNECT was accepted and whose connection is still open. */
    public long clientsConnected() {
        return clientsConnected.sum();
    }

    public long messagesReceived(int qos) {
        return messagesReceived[qos].sum();
    }

    public long messagesReceived() {
        return messagesReceived(0) + messagesReceived(1) + messagesReceived(2);
    }

    public long messagesSent(int qos) {
        return messagesSent[qos].sum();
    }

    public long messagesSent() {
        return messagesSent(0) + messagesSent(1) + messagesSent(2);
    }

    public long bytesReceived() {
        return bytesReceived.sum();
    }

    public long bytesSent() {
        return bytesSent.sum();
    }
}
