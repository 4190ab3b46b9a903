package dev.midge.persistence;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;

/**
 * The memory-only broker ({@code midge.persistence.enabled=false}): the broker's own in-memory state is all
 * there is, nothing is written, and acknowledgements never wait.
 */
public final class DisabledStore implements BrokerStore {

    @Override
    public boolean isEnabled() {
        return false;
    }

    @Override
    public Recovered open() {
        return Recovered.NOTHING;
    }

    @Override
    public void putRetained(Message message) {
    }

    @Override
    public void removeRetained(String topic) {
    }

    @Override
    public void putSession(String clientId, long expiryInterval, long disconnectedAt) {
    }

    @Override
    public void removeSession(String clientId) {
    }

    @Override
    public void putSubscription(String clientId, String filter, SubscriptionOptions options) {
    }

    @Override
    public void removeSubscription(String clientId, String filter) {
    }

    @Override
    public long newOutboundId() {
        return 0;
    }

    @Override
    public void addOutbound(long id, String clientId, Message message, Delivery delivery) {
    }

    @Override
    public void updateOutbound(long id, int packetId, boolean released) {
    }

    @Override
    public void removeOutbound(long id) {
    }

    @Override
    public void addAwaitingRelease(String clientId, int packetId) {
    }

    @Override
    public void removeAwaitingRelease(String clientId, int packetId) {
    }

    @Override
    public void putWill(String clientId, Message will, long publishAt) {
    }

    @Override
    public void removeWill(String clientId) {
    }

    @Override
    public long changesByThisThread() {
        return 0;
    }

    @Override
    public void whenDurable(Runnable callback) {
        callback.run();
    }

    @Override
    public void close() {
    }

    @Override
    public StoreStatus status() {
        return new StoreStatus(false, null, null, true, null, 0, 0, 0);
    }
}
