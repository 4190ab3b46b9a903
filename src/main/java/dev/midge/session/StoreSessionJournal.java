package dev.midge.session;

import dev.midge.delivery.Outbound;
import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;
import dev.midge.persistence.BrokerStore;

/**
 * The journal of a session on an enabled store: while the session is durable (it outlives its connection),
 * each change goes to the {@link BrokerStore} as it happens. A message's entry is keyed by its store id, so
 * it is finished even after the session stopped being durable.
 */
final class StoreSessionJournal implements SessionJournal {

    private final BrokerStore store;
    private final String clientId;
    /** Read by publishers on other threads when they hand the session a message. */
    private volatile boolean durable;

    StoreSessionJournal(BrokerStore store, String clientId) {
        this.store = store;
        this.clientId = clientId;
    }

    @Override
    public long addOutbound(Message message, Delivery delivery) {
        if (delivery.qos() == 0 || !durable) {
            return 0;
        }
        long id = store.newOutboundId();
        store.addOutbound(id, clientId, message, delivery);
        return id;
    }

    @Override
    public void arrived(Outbound outbound) {
        if (!durable) {
            finished(outbound);
        }
    }

    @Override
    public boolean putSession(long expiryInterval, long disconnectedAt) {
        store.putSession(clientId, expiryInterval, disconnectedAt);
        if (durable) {
            return false;
        }
        durable = true;
        return true;
    }

    @Override
    public void restored() {
        durable = true;
    }

    @Override
    public boolean removeSession() {
        if (!durable) {
            return false;
        }
        durable = false;
        store.removeSession(clientId);
        return true;
    }

    @Override
    public void handedOver() {
        if (durable) {
            durable = false;
            store.forgetSession(clientId);
        }
    }

    @Override
    public void store(Outbound outbound) {
        if (outbound.delivery().qos() == 0) {
            return;
        }
        outbound.storeId(store.newOutboundId());
        store.addOutbound(outbound.storeId(), clientId, outbound.message(), outbound.delivery());
        if (outbound.packetId() != 0) {
            store.updateOutbound(outbound.storeId(), outbound.packetId(), outbound.isReleased());
        }
    }

    @Override
    public void putSubscription(String filter, SubscriptionOptions options) {
        if (durable) {
            store.putSubscription(clientId, filter, options);
        }
    }

    @Override
    public void removeSubscription(String filter) {
        if (durable) {
            store.removeSubscription(clientId, filter);
        }
    }

    @Override
    public void addAwaitingRelease(int packetId) {
        if (durable) {
            store.addAwaitingRelease(clientId, packetId);
        }
    }

    @Override
    public void removeAwaitingRelease(int packetId) {
        if (durable) {
            store.removeAwaitingRelease(clientId, packetId);
        }
    }

    @Override
    public void putWill(Message will, long publishAt) {
        if (durable) {
            store.putWill(clientId, will, publishAt);
        }
    }

    @Override
    public void removeWill() {
        if (durable) {
            store.removeWill(clientId);
        }
    }

    @Override
    public void inFlight(Outbound outbound) {
        if (outbound.storeId() != 0) {
            store.updateOutbound(outbound.storeId(), outbound.packetId(), false);
        }
    }

    @Override
    public void released(Outbound outbound) {
        if (outbound.storeId() != 0) {
            store.updateOutbound(outbound.storeId(), outbound.packetId(), true);
        }
    }

    @Override
    public void finished(Outbound outbound) {
        if (outbound.storeId() != 0) {
            store.removeOutbound(outbound.storeId());
            outbound.storeId(0);
        }
    }
}
