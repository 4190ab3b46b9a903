package dev.midge.protocol;

import dev.midge.message.Delivery;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;

/** Small facts about packets that every flow needs. */
final class Packets {

    private Packets() {
    }

    static MqttFixedHeader fixedHeader(MqttMessageType type, MqttQoS qos) {
        return new MqttFixedHeader(type, false, qos, false, 0);
    }

    static MqttFixedHeader publishHeader(Delivery delivery, boolean duplicate) {
        return new MqttFixedHeader(MqttMessageType.PUBLISH, duplicate, MqttQoS.valueOf(delivery.qos()),
                delivery.retain(), 0);
    }

    /** The fixed header of an acknowledgement: PUBREL is sent at QoS 1, as MQTT requires, the others at 0. */
    static MqttFixedHeader ackHeader(MqttMessageType type) {
        return fixedHeader(type, type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE);
    }

    static int packetId(MqttMessage msg) {
        return ((MqttMessageIdVariableHeader) msg.variableHeader()).messageId();
    }

    /** The whole packet's size: the fixed header's type byte, the remaining-length bytes, and the rest. */
    static int packetSize(int remainingLength) {
        return 1 + PropertyCodec.variableByteIntegerLength(remainingLength) + remainingLength;
    }
}
