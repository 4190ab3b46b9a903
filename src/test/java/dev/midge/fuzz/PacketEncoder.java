package dev.midge.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;

/** Turns packets into the bytes a client of one protocol level sends, with Netty's encoder. */
final class PacketEncoder {

    /** Where Netty's codec keeps a channel's protocol level; its encoder writes MQTT 5 properties only then. */
    private static final AttributeKey<MqttVersion> CODEC_VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

    private final EmbeddedChannel channel = new EmbeddedChannel(MqttEncoder.INSTANCE);

    PacketEncoder(MqttVersion version) {
        channel.attr(CODEC_VERSION).set(version);
    }

    /** The packet's bytes, or null when Netty refuses to encode it (a client could still send them raw). */
    byte[] encode(MqttMessage packet) {
        try {
            channel.writeOutbound(packet);
        } catch (RuntimeException refused) {
            channel.releaseOutbound();
            return null;
        }
        ByteBuf out = channel.readOutbound();
        try {
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return bytes;
        } finally {
            out.release();
        }
    }
}
