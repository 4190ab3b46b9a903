package dev.midge.protocol;

import io.netty.handler.codec.mqtt.MqttProperties;

/**
 * What a CONNECT asks for where MQTT 3 and MQTT 5 differ, as its {@link ProtocolDialect} reads it: MQTT 3 has
 * fixed terms (the clean-session flag decides the expiry), MQTT 5 takes them from the properties.
 *
 * @param authMethod the MQTT 5 authentication method, or null
 * @param expiryInterval the session expiry interval in seconds
 * @param receiveMaximum how many unacknowledged QoS 1/2 messages the client takes
 * @param topicAliasMaximum the client's Topic Alias Maximum, 0 when outbound aliases are off
 * @param willProperties the will's properties, or null when there are none to keep
 * @param willDelay the will delay interval in seconds
 */
record ConnectTerms(String authMethod, long expiryInterval, int receiveMaximum, int topicAliasMaximum,
        MqttProperties willProperties, long willDelay) {
}
