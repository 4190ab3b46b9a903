package dev.midge.session;

import dev.midge.delivery.OutboundEvents;
import dev.midge.delivery.OutboundSender;
import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.stats.BrokerStats;

/**
 * A session's outbound queue's way to the attached connection, and what the session hears back from the queue:
 * its backlog, the broker's counters, and a drained queue making room for retained messages. On the loop.
 */
final class ConnectionLink implements OutboundSender, OutboundEvents {

    private final SessionLoop owner;
    private final Session session;
    private final BrokerStats stats;
    private final RetainedFeeding retainedFeeds;

    ConnectionLink(SessionLoop owner, Session session, BrokerStats stats, RetainedFeeding retainedFeeds) {
        this.owner = owner;
        this.session = session;
        this.stats = stats;
        this.retainedFeeds = retainedFeeds;
    }

    @Override
    public boolean isWritable() {
        return owner.connection().isWritable();
    }

    @Override
    public boolean sendPublish(Message message, Delivery delivery, int packetId, boolean duplicate) {
        return owner.connection().sendPublish(message, delivery, packetId, duplicate);
    }

    @Override
    public void sendPubRel(int packetId) {
        owner.connection().sendPubRel(packetId);
    }

    @Override
    public void leftQueue() {
        session.leftBacklog();
    }

    @Override
    public void released(Message message) {
        session.released(message);
    }

    @Override
    public void sent(int qos) {
        stats.sent(qos);
    }

    @Override
    public void expired() {
        stats.expired();
    }

    @Override
    public void acknowledged() {
        // Counted when sent, as for every client.
    }

    @Override
    public void drained() {
        retainedFeeds.feed();
    }
}
