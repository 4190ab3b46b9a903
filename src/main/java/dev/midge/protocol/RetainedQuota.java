package dev.midge.protocol;

import dev.midge.limits.LimitKind;
import dev.midge.limits.Limits;
import dev.midge.message.Message;
import io.netty.handler.codec.mqtt.MqttMessageType;

/**
 * {@code midge.limits.max-retained-per-client}: a retained PUBLISH that would make its client own more retained
 * messages than that is refused, MQTT 5 with 0x97 (Quota exceeded), MQTT 3 acknowledged and dropped. Clearing
 * or replacing one's own is always allowed. Asked only for retained messages.
 */
final class RetainedQuota {

    private RetainedQuota() {
    }

    /** False when refused; the acknowledgement saying so is written. */
    static boolean admits(ConnectionContext connection, Message message, int packetId) {
        Limits limits = connection.services.limits();
        int max = limits.maxRetainedPerClient();
        if (max == 0 || message.payload().length == 0 || message.origin() == null
                || connection.services.router().retained().mayRetain(message.origin(), message.topic(), max)) {
            return true;
        }
        limits.counters().exceeded(LimitKind.MAX_RETAINED_PER_CLIENT);
        ConnectionContext.LOG.debugf("Client %s over midge.limits.max-retained-per-client=%d: %s not retained",
                connection.clientId, max, message.topic());
        if (message.qos() > 0) {
            MqttMessageType type = message.qos() == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC;
            connection.write(connection.dialect.ack(type, packetId, ReasonCode.QUOTA_EXCEEDED));
        }
        return false;
    }
}
