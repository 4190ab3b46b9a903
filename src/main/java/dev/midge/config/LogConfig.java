package dev.midge.config;

import io.smallrye.config.WithDefault;

/** How the broker logs ({@code midge.log.*}). */
public interface LogConfig {
    /** One JSON object per line on the console, for log collectors. */
    @WithDefault("false")
    boolean json();

    /**
     * One INFO line as each client connects and disconnects, worded as Mosquitto's log lines, for operators
     * who read the log the way they read Mosquitto's.
     */
    @WithDefault("false")
    boolean connectionMessages();
}
