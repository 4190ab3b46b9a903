package dev.midge.protocol;

import static dev.midge.protocol.ConnectionContext.LOG;

import dev.midge.persistence.BrokerStore;
import io.netty.handler.codec.mqtt.MqttMessage;

/**
 * Writes acknowledgements once what they acknowledge is stored, in the order the packets came: at once when
 * the packet changed nothing the store keeps (and no earlier acknowledgement is still waiting), else when the
 * store says it is durable.
 */
final class DurableAcks {

    private final ConnectionContext connection;
    private final BrokerStore store;
    /** Acknowledgements waiting for the store; later ones queue behind them, so the order stays as received. */
    private int waiting;

    DurableAcks(ConnectionContext connection) {
        this.connection = connection;
        this.store = connection.services.store();
    }

    /** The store's change count for this thread: taken before a packet is handled, handed to acknowledge. */
    long changes() {
        return store.changesByThisThread();
    }

    /**
     * Writes {@code ack}, then runs {@code after}, if any.
     *
     * @param changes the store's change count for this thread before the packet was handled
     */
    void acknowledge(MqttMessage ack, long changes, Runnable after) {
        if (waiting == 0 && store.changesByThisThread() == changes) {
            connection.write(ack);
            if (after != null) {
                after.run();
            }
            return;
        }
        waiting++;
        store.whenDurable(() -> connection.ctx.executor().execute(() -> {
            waiting--;
            if (connection.isConnected()) {
                connection.write(ack);
                if (after != null) {
                    after.run();
                }
            }
        }), () -> connection.ctx.executor().execute(() -> {
            // Not kept as configured: no acknowledgement, and the client resends once it has reconnected.
            waiting--;
            if (connection.ctx.channel().isOpen()) {
                LOG.warnf("Client %s: a message could not be kept where the configuration asks; its connection"
                        + " closes unacknowledged", connection.clientId);
                connection.ctx.close();
            }
        }));
    }
}
