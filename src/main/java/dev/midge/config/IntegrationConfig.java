package dev.midge.config;

import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;

/** One integration ({@code midge.integrations.<name>.*}). */
public interface IntegrationConfig {
    /** The connector's name: {@code smallrye-kafka}, {@code smallrye-mqtt}, {@code smallrye-in-memory}, ... */
    String connector();

    /**
     * What crosses, in the bridges' topic syntax: {@code pattern [out|in|both [qos [local-prefix
     * remote-prefix]]]}.
     */
    List<String> topics();

    /** The connector's channel attributes, as under {@code mp.messaging.<direction>.<channel>.*}. */
    Map<String, String> attributes();

    /** Outgoing messages the connector has not taken yet; beyond it they are dropped and counted. */
    @WithDefault("10000")
    int maxQueued();
}
