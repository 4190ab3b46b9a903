package dev.midge.management;

import dev.midge.limits.Limits;
import dev.midge.persistence.BrokerStore;
import dev.midge.routing.Router;
import dev.midge.session.Session;
import dev.midge.session.SessionRegistry;
import dev.midge.stats.BrokerStats;
import dev.midge.transport.MqttListener;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The broker's {@code midge_*} meters. Each is registered once, at start-up, as a function of a
 * {@link BrokerStats} counter or of a size the broker already keeps, so the message path counts with a
 * {@code LongAdder} and never looks a meter up; the work happens when Prometheus scrapes.
 */
@ApplicationScoped
public class BrokerMeters {

    private final MeterRegistry registry;
    private final BrokerStats stats;
    private final MqttListener listener;
    private final SessionRegistry sessions;
    private final Router router;
    private final BrokerStore store;
    private final Limits limits;

    public BrokerMeters(MeterRegistry registry, BrokerStats stats, MqttListener listener, SessionRegistry sessions,
            Router router, BrokerStore store, Limits limits) {
        this.limits = limits;
        this.store = store;
        this.registry = registry;
        this.stats = stats;
        this.listener = listener;
        this.sessions = sessions;
        this.router = router;
    }

    public void register() {
        registerConnectionMeters();
        registerSessionMeters();
        registerMessageMeters();
        LimitMeters.register(registry, limits);
    }

    private void registerConnectionMeters() {
        gauge("midge.connections.open", "Open client sockets",
                l -> l.isBound() ? l.connectionCount() : 0, listener);
        counter("midge.connections.accepted", "Client sockets accepted", BrokerStats::connectionsAccepted);
        counter("midge.auth.failures", "CONNECTs refused for their credentials", BrokerStats::authFailures);
        counter("midge.clients.slow.disconnected", "Clients disconnected for not reading while their publishers "
                + "waited longer than midge.slow-subscriber-timeout", BrokerStats::slowSubscribersDisconnected);
        counter("midge.subscriptions.refused", "Subscriptions refused because their client held "
                + "midge.max-subscriptions-per-client already", BrokerStats::subscriptionsRefused);
        counter("midge.connections.read.timeout", "Connections closed because one packet took longer than "
                + "midge.packet-read-timeout to arrive", BrokerStats::packetReadTimeouts);
        counter("midge.auth.throttled", "CONNECTs refused unchecked after too many failed logins from their address",
                BrokerStats::loginsThrottled);
        counter("midge.admin.throttled", "HTTP requests and dashboard logins answered 429 unchecked after too many"
                + " failed admin credentials from their address", BrokerStats::adminLoginsThrottled);
        counter("midge.auth.unauthorized", "PUBLISHes and SUBSCRIBEs the ACL refused", BrokerStats::unauthorizedCount);
        counter("midge.tls.handshake.failures", "TLS handshakes that failed", BrokerStats::tlsHandshakeFailures);
        counter("midge.connections.refused", "Client sockets refused because midge.max-connections was reached",
                BrokerStats::connectionsRefused);
        gauge("midge.clients.connected", "Clients whose CONNECT was accepted and whose connection is open",
                BrokerStats::clientsConnected, stats);
        FunctionCounter.builder("midge.network.received", stats, BrokerStats::bytesReceived)
                .description("Bytes read from client sockets")
                .baseUnit(BaseUnits.BYTES)
                .register(registry);
        FunctionCounter.builder("midge.network.sent", stats, BrokerStats::bytesSent)
                .description("Bytes written to client sockets")
                .baseUnit(BaseUnits.BYTES)
                .register(registry);
    }

    private void registerSessionMeters() {
        gauge("midge.sessions", "Sessions, online and offline", SessionRegistry::size, sessions);
        gauge("midge.sessions.offline", "Sessions without a connection, kept for their clients' return",
                r -> r.snapshot().stream().filter(s -> !s.isOnline()).count(), sessions);
        gauge("midge.messages.queued", "Messages waiting in sessions to be sent",
                r -> r.snapshot().stream().mapToLong(Session::queuedCount).sum(), sessions);
        gauge("midge.messages.inflight", "QoS 1/2 messages sent to clients and not yet acknowledged",
                r -> r.snapshot().stream().mapToLong(Session::inflightCount).sum(), sessions);
        gauge("midge.subscriptions", "Subscriptions, a shared-group membership counting once",
                r -> r.subscriptions().size(), router);
        gauge("midge.retained.messages", "Retained messages stored", r -> r.retained().size(), router);
        gauge("midge.persistence.pending.changes", "Changes handed to the store and not yet written",
                s -> s.status().pendingChanges(), store);
    }

    private void registerMessageMeters() {
        Timer delivery = Timer.builder("midge.message.delivery")
                .description("Time from receiving a PUBLISH to writing it to a subscriber; one PUBLISH in 128 of each"
                        + " connection is timed, for each of its deliveries")
                .publishPercentiles(0.5, 0.99, 0.999)
                .register(registry);
        stats.onDeliveryLatency(nanos -> delivery.record(nanos, TimeUnit.NANOSECONDS));
        for (int qos = 0; qos <= 2; qos++) {
            int q = qos;
            FunctionCounter.builder("midge.messages.received", stats, s -> s.messagesReceived(q))
                    .description("Application messages received from clients")
                    .tag("qos", Integer.toString(q))
                    .register(registry);
            FunctionCounter.builder("midge.messages.sent", stats, s -> s.messagesSent(q))
                    .description("Application messages sent to clients, by the QoS they were sent with")
                    .tag("qos", Integer.toString(q))
                    .register(registry);
        }
        dropped("queue_full", BrokerStats::droppedQueueFull);
        dropped("not_writable", BrokerStats::droppedNotWritable);
        dropped("qos0_offline", BrokerStats::droppedQos0Offline);
        dropped("expired", BrokerStats::droppedExpired);
        dropped("too_large", BrokerStats::droppedTooLarge);
    }

    private <T> void gauge(String name, String description, ToDoubleFunction<T> value, T source) {
        Gauge.builder(name, source, value).description(description).strongReference(true).register(registry);
    }

    private void counter(String name, String description, ToDoubleFunction<BrokerStats> value) {
        FunctionCounter.builder(name, stats, value).description(description).register(registry);
    }

    private void dropped(String reason, ToDoubleFunction<BrokerStats> value) {
        FunctionCounter.builder("midge.messages.dropped", stats, value)
                .description("Messages not delivered, by reason")
                .tag("reason", reason)
                .register(registry);
    }
}
