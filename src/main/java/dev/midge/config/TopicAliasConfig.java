package dev.midge.config;

import io.smallrye.config.WithDefault;

/** MQTT 5 topic aliases ({@code midge.topic-alias.*}). */
public interface TopicAliasConfig {
    /** How many aliases a client may set for its own PUBLISHes (the server's Topic Alias Maximum). */
    @WithDefault("10")
    int maximum();

    /** Whether the server assigns aliases to topics it sends a client repeatedly, when the client allows. */
    @WithDefault("true")
    boolean outbound();
}
