package dev.midge.session;

import dev.midge.delivery.Outbound;
import dev.midge.delivery.OutboundQueue;
import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.TopicFilter;
import dev.midge.message.SubscriptionOptions;
import dev.midge.persistence.Recovered;
import dev.midge.routing.Router;
import dev.midge.routing.Subscriber;
import dev.midge.security.Authorizer;
import dev.midge.security.ClientIdentity;
import dev.midge.stats.BrokerStats;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The part of a {@link Session} confined to the session's event loop: subscriptions, the outbound queue, QoS 2
 * ids awaiting release, retained feeds, the will waiting out its delay and the session's expiry. Nothing but
 * that loop touches it: {@link Session} hops there, and the attached connection, on that loop, gets it when the
 * attach completes.
 */
public final class SessionLoop {

    private final Session session;
    private final SessionLimits limits;
    private final Router router;
    private final BrokerStats stats;
    private final SessionRegistry registry;
    private final SessionJournal journal;
    private final ConnectionLink link;
    private final OutboundQueue outbound;
    private final SessionLifetime lifetime;

    private SessionConnection connection;
    private Instant connectedSince;
    private boolean ended;
    /** Ended here because the session moved to another node, where it goes on. */
    private boolean handedOver;

    private final Map<String, SubscriptionOptions> subscriptions = new HashMap<>();
    private final ReleaseWaits awaitingRelease;
    /** Retained messages of new subscriptions still to be sent, fed in as the backlog drains. */
    private final RetainedFeeding retainedFeeds;

    SessionLoop(Session session, long expiryInterval, SessionLimits limits, Router router, BrokerStats stats,
            SessionRegistry registry, SessionJournal journal) {
        this.session = session;
        this.limits = limits;
        this.router = router;
        this.stats = stats;
        this.registry = registry;
        this.journal = journal;
        this.awaitingRelease = new ReleaseWaits(journal);
        this.lifetime = new SessionLifetime(session, expiryInterval, registry, router, journal);
        this.retainedFeeds = new RetainedFeeding(session, this, limits);
        this.link = new ConnectionLink(this, session, stats, retainedFeeds);
        this.outbound = new OutboundQueue(journal, link);
    }

    int inflightCount() {
        return outbound.inflightCount();
    }

    void deliver(Message message, Delivery delivery, long storeId) {
        if (delivery.qos() == 0) {
            deliverQos0(message, delivery);
        } else {
            deliverQos12(message, delivery, storeId);
        }
        // A message sent straight through may have brought the backlog below the feed's mark.
        retainedFeeds.feed();
    }

    private void deliverQos12(Message message, Delivery delivery, long storeId) {
        Outbound o = new Outbound(message, delivery, storeId);
        journal.arrived(o);
        if (ended) {
            session.dropped(message);
            return;
        }
        int cap = connection == null ? limits.maxQueued() : 2 * limits.maxQueued();
        OutboundQueue.Offer offer = outbound.offer(o, cap);
        if (offer == OutboundQueue.Offer.QUEUED) {
            congestedByQueue();
        } else if (offer == OutboundQueue.Offer.REFUSED) {
            stats.queueFull();
            journal.finished(o);
            session.dropped(message);
        }
    }

    /**
     * Straight to the socket while it takes more and nothing waits before it; otherwise queued behind the rest,
     * so that a busy subscriber slows its publishers as for QoS 1/2. Not kept for an offline session.
     */
    private void deliverQos0(Message message, Delivery delivery) {
        if (ended) {
            session.dropped(message);
        } else if (connection == null) {
            stats.qos0Offline();
            session.dropped(message);
        } else {
            OutboundQueue.Offer offer = outbound.offerQos0(message, delivery, 2 * limits.maxQueued());
            if (offer == OutboundQueue.Offer.QUEUED) {
                congestedByQueue();
            } else if (offer == OutboundQueue.Offer.REFUSED) {
                stats.notWritable();
                session.dropped(message);
            }
        }
    }

    private void congestedByQueue() {
        if (connection != null && session.isCongested()) {
            connection.sessionCongested();
        }
    }

    void feedRetained(RetainedFeed feed) {
        retainedFeeds.add(feed);
    }

    /** The attached connection, or null while offline. */
    SessionConnection connection() {
        return connection;
    }

    void congestedTooLong() {
        if (connection != null && session.isCongested()) {
            connection.close(CloseCause.TOO_SLOW);
        }
    }

    /** The attached connection's socket takes more again: queued QoS 0 messages may go. */
    public void writable(SessionConnection from) {
        if (connection == from) {
            outbound.drain();
        }
    }

    void attach(SessionConnection newConnection, ClientIdentity newIdentity, Authorizer newAuthorizer,
            long newExpiryInterval, Consumer<SessionLoop> attached) {
        if (ended) {
            newConnection.eventLoop().execute(() -> attached.accept(null));
            return;
        }
        if (connection != null && connection != newConnection) {
            connection.close(CloseCause.TAKEN_OVER);
        }
        letGo();
        lifetime.cancelTimers();
        EventLoop target = newConnection.eventLoop();
        if (session.loop() != target) {
            session.moveTo(target);
            target.execute(() -> session.attach(newConnection, newIdentity, newAuthorizer, newExpiryInterval,
                    attached));
            return;
        }
        connection = newConnection;
        outbound.online(link, Math.min(limits.maxInflight(), newConnection.receiveMaximum()));
        session.reader(newIdentity, newAuthorizer);
        connectedSince = Instant.now();
        session.online(true);
        lifetime.expiryInterval(newExpiryInterval);
        persist(0);
        attached.accept(this);
        outbound.resend();
    }

    private void letGo() {
        connection = null;
        outbound.offline();
        connectedSince = null;
        session.online(false);
    }

    void detach(SessionConnection oldConnection, Message will, long willDelaySeconds) {
        if (connection != oldConnection) {
            lifetime.takenOverWill(will, willDelaySeconds, ended && !handedOver);
            return;
        }
        letGo();
        dropQueuedQos0();
        session.wakeWaiters();
        long now = System.currentTimeMillis();
        lifetime.willOnDetach(will, willDelaySeconds);
        persist(now);
        lifetime.journalWill(now, willDelaySeconds);
        if (lifetime.expiryInterval() == 0) {
            end();
        } else {
            lifetime.startExpiry();
        }
    }

    /** QoS 0 messages are not kept for an offline client, as none arriving while it is away are. */
    private void dropQueuedQos0() {
        outbound.removeQueuedIf(o -> {
            if (o.delivery().qos() > 0) {
                return false;
            }
            stats.qos0Offline();
            session.dropped(o.message());
            return true;
        });
    }

    /**
     * Brings the store in line with the expiry interval: a session that outlives its connection is written
     * (all of it, when it has just become durable), one that does not is removed.
     *
     * @param disconnectedAt wall-clock millisecond the client went away, or 0 while connected
     */
    private void persist(long disconnectedAt) {
        if (lifetime.expiryInterval() > 0 && !ended) {
            if (journal.putSession(lifetime.expiryInterval(), disconnectedAt)) {
                subscriptions.forEach(journal::putSubscription);
                awaitingRelease.journalAll();
                outbound.forEach(journal::store);
            }
        } else if (journal.removeSession()) {
            outbound.forEach(journal::finished);
        }
    }

    /**
     * Puts back a session read from the store: offline, with its subscriptions, its queued and in-flight
     * messages (resent with DUP on reconnect, under the packet ids they had), its QoS 2 ids awaiting release,
     * its delayed will and its expiry, both counted from when its client went away. Runs at start-up, before
     * any client connects, so nothing else touches the session yet.
     */
    void restore(Recovered.StoredSession stored) {
        journal.restored();
        stored.subscriptions().forEach((filter, options) -> {
            subscriptions.put(filter, options);
            router.subscriptions().subscribe(TopicFilter.of(filter), session, options);
        });
        for (Recovered.StoredOutbound o : stored.outbound()) {
            session.held(o.message());
            if (outbound.restore(new Outbound(o.message(), o.delivery(), o.id()), o.packetId(), o.released())) {
                session.enteredBacklog();
            }
        }
        awaitingRelease.restore(stored.awaitingRelease());
        lifetime.restore(stored, System.currentTimeMillis());
    }

    /** Sets the Session Expiry Interval, as a DISCONNECT may. */
    public void expiryInterval(long seconds) {
        lifetime.expiryInterval(seconds);
        if (seconds == 0) {
            session.endsWithConnection();
        }
    }

    void end() {
        if (ended) {
            return;
        }
        if (journal.removeSession()) {
            outbound.forEach(journal::finished);
        }
        stopHere(true, o -> {
            session.released(o.message());
            handOverShared(o);
        }, o -> {
            session.dropped(o.message());
            handOverShared(o);
        });
        registry.removeIfCurrent(session);
        closeConnection();
    }

    /**
     * The session moves to another node, which resumes it from the cluster's copy (unless its client started
     * clean there): it leaves without touching that copy, its connection closes as in a takeover, its will waits
     * there. A forwarder takes its plain subscriptions over; they are returned. */
    Map<String, SubscriptionOptions> handOver(boolean sessionEnds, Subscriber forwarder) {
        if (ended) {
            return Map.of();
        }
        handedOver = !sessionEnds;
        // Before the session's own subscriptions go: no filter is without a subscriber here for a moment.
        Map<String, SubscriptionOptions> forwarded = sessionEnds || forwarder == null ? Map.of()
                : Forwarders.subscribe(forwarder, subscriptions, router.subscriptions(), session);
        journal.handedOver();
        stopHere(sessionEnds, o -> session.released(o.message()), o -> session.dropped(o.message()));
        closeConnection();
        return forwarded;
    }

    /** Subscriptions, timers, messages and QoS 2 ids go; a pending will is published when the session ends. */
    private void stopHere(boolean publishWill, Consumer<Outbound> inflightGone, Consumer<Outbound> queuedGone) {
        ended = true;
        session.endsWithConnection();
        retainedFeeds.clear();
        subscriptions.keySet().forEach(filter -> router.subscriptions().unsubscribe(TopicFilter.of(filter), session));
        subscriptions.clear();
        if (publishWill) {
            lifetime.ended();
        } else {
            lifetime.handedOver();
        }
        outbound.clear(inflightGone, queuedGone);
        awaitingRelease.clear();
    }

    private void closeConnection() {
        session.online(false);
        session.wakeWaiters();
        if (connection != null) {
            connection.close(CloseCause.TAKEN_OVER);
            letGo();
        }
    }

    private void handOverShared(Outbound o) {
        if (o.delivery().sharedFilter() != null && !o.isReleased()) {
            router.subscriptions().deliverToShared(o.delivery().sharedFilter(), o.message(), session);
        }
    }

    /** Adds or replaces a subscription; true when it replaced one. */
    public boolean subscribe(TopicFilter filter, SubscriptionOptions options) {
        subscriptions.put(filter.text(), options);
        journal.putSubscription(filter.text(), options);
        return router.subscriptions().subscribe(filter, session, options);
    }

    public boolean hasSubscription(String filter) {
        return subscriptions.containsKey(filter);
    }

    public int subscriptionCount() {
        return subscriptions.size();
    }

    /** True when the session had a subscription to the filter. */
    public boolean unsubscribe(String filter) {
        if (subscriptions.remove(filter) == null) {
            return false;
        }
        journal.removeSubscription(filter);
        return router.subscriptions().unsubscribe(TopicFilter.of(filter), session);
    }

    /** Incoming QoS 2 packet ids not yet released. */
    public ReleaseWaits awaitingRelease() {
        return awaitingRelease;
    }

    /** A PUBACK; false when no QoS 1 message was in flight with that id. */
    public boolean onPubAck(int packetId) {
        return outbound.onPubAck(packetId);
    }

    /** A PUBREC; false when no QoS 2 message was in flight with that id. PUBREL is sent either way. */
    public boolean onPubRec(int packetId) {
        boolean known = outbound.onPubRec(packetId);
        connection.sendPubRel(packetId);
        return known;
    }

    /** A PUBREC with an error reason code: the receiver refused the message, which ends its delivery. */
    public void onPubRecRefused(int packetId) {
        outbound.onPubRecRefused(packetId);
    }

    /** A PUBCOMP; false when no released QoS 2 message was in flight with that id. */
    public boolean onPubComp(int packetId) {
        return outbound.onPubComp(packetId);
    }

    SessionInfo describe() {
        return new SessionInfo(session.clientId(), connection != null,
                connection == null ? null : connection.protocol(),
                connection == null ? null : address(connection.remoteAddress()),
                connectedSince, lifetime.expiryInterval(), subscriptions.size(), outbound.queuedSize(),
                outbound.inflightSize(), null);
    }

    private static String address(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getHostString() + ":" + inet.getPort()
                : String.valueOf(address);
    }

    void closeByAdministrator() {
        if (connection != null) {
            connection.close(CloseCause.ADMINISTRATOR);
        }
    }
}
