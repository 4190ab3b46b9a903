package dev.midge.session;

import dev.midge.delivery.Outbound;
import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;

/** The journal of a session nothing keeps: every change is ignored. */
final class NoSessionJournal implements SessionJournal {

    @Override
    public long addOutbound(Message message, Delivery delivery) {
        return 0;
    }

    @Override
    public void arrived(Outbound outbound) {
    }

    @Override
    public boolean putSession(long expiryInterval, long disconnectedAt) {
        return false;
    }

    @Override
    public void restored() {
    }

    @Override
    public void handedOver() {
    }

    @Override
    public boolean removeSession() {
        return false;
    }

    @Override
    public void store(Outbound outbound) {
    }

    @Override
    public void putSubscription(String filter, SubscriptionOptions options) {
    }

    @Override
    public void removeSubscription(String filter) {
    }

    @Override
    public void addAwaitingRelease(int packetId) {
    }

    @Override
    public void removeAwaitingRelease(int packetId) {
    }

    @Override
    public void putWill(Message will, long publishAt) {
    }

    @Override
    public void removeWill() {
    }

    @Override
    public void inFlight(Outbound outbound) {
    }

    @Override
    public void released(Outbound outbound) {
    }

    @Override
    public void finished(Outbound outbound) {
    }
}
