package dev.midge.protocol;

import java.util.HashMap;
import java.util.Map;

/**
 * A connection's MQTT 5 topic aliases: those the client sets for its PUBLISHes, and those the server assigns
 * for topics it sends repeatedly. Aliases are per connection and start empty on each one.
 */
final class TopicAliases {

    private final String[] inbound;
    private final int outboundMaximum;
    private final Map<String, Integer> outbound = new HashMap<>();

    /**
     * @param inboundMaximum the server's Topic Alias Maximum, advertised in CONNACK
     * @param outboundMaximum the client's Topic Alias Maximum from CONNECT, or 0 to send no aliases
     */
    TopicAliases(int inboundMaximum, int outboundMaximum) {
        this.inbound = new String[inboundMaximum + 1];
        this.outboundMaximum = outboundMaximum;
    }

    /** True when the client may use this alias number. */
    boolean isValidInbound(int alias) {
        return alias >= 1 && alias < inbound.length;
    }

    /** Resolves a client's alias: records the topic when given, else returns the one recorded (or null). */
    String resolveInbound(int alias, String topic) {
        if (topic != null && !topic.isEmpty()) {
            inbound[alias] = topic;
            return topic;
        }
        return inbound[alias];
    }

    /** The alias already sent for this topic, or 0. */
    int existingOutbound(String topic) {
        Integer alias = outbound.get(topic);
        return alias == null ? 0 : alias;
    }

    boolean canAssignOutbound() {
        return outbound.size() < outboundMaximum;
    }

    /** A new alias for this topic while the client allows more, or 0. Aliases are never reassigned. */
    int assignOutbound(String topic) {
        if (outbound.size() >= outboundMaximum) {
            return 0;
        }
        int alias = outbound.size() + 1;
        outbound.put(topic, alias);
        return alias;
    }
}
