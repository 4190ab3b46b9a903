package dev.midge.cluster;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.routing.Subscriber;

/**
 * In the remote routes, what stands for a node that left until its sessions are adopted: its plain routes stay,
 * and a message they match goes to the heir, the node that adopts those sessions (the oldest), named as theirs.
 * Without it, what is published between a node's leaving and the adoption of its sessions would reach none of
 * them. The heir is this node when {@link #heir()} is null.
 */
final class OrphanRoute implements Subscriber {

    private final String nodeId;
    private volatile PeerLink heir;

    OrphanRoute(String nodeId, PeerLink heir) {
        this.nodeId = nodeId;
        this.heir = heir;
    }

    /** The node that left. */
    String nodeId() {
        return nodeId;
    }

    PeerLink heir() {
        return heir;
    }

    /** The heir left too: the next one takes its place. */
    void heir(PeerLink next) {
        heir = next;
    }

    @Override
    public String clientId() {
        return "\u0000orphans:" + nodeId;
    }

    @Override
    public void deliver(Message message, Delivery delivery) {
        throw new UnsupportedOperationException("sent by the cluster's router, which names the sessions");
    }

    @Override
    public boolean isOnline() {
        return true;
    }

    @Override
    public boolean isCongested() {
        PeerLink link = heir;
        return link != null && link.isCongested();
    }

    @Override
    public void whenDecongested(Runnable callback) {
        PeerLink link = heir;
        if (link == null) {
            callback.run();
        } else {
            link.whenDecongested(callback);
        }
    }
}
