package dev.midge.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The store ({@code midge.persistence.*}). */
public interface PersistenceConfig {
    /** Off: everything lives in memory only and is lost on restart. */
    @WithDefault("true")
    boolean enabled();

    /** The store's directory; a PersistentVolumeClaim mount in Kubernetes. */
    @WithDefault("data")
    String dir();

    /**
     * always: PUBACK/PUBREC/SUBACK only once what they acknowledge is on disk (group commit); interval: on
     * disk within {@code flush-interval}; never: handed to the operating system within {@code
     * flush-interval}, never forced to disk by Midge.
     */
    @WithDefault("always")
    Sync sync();

    /** How often {@code interval} and {@code never} write; also the longest a batch waits under {@code always}. */
    @WithDefault("1s")
    Duration flushInterval();

    /** fail: refuse to start on a corrupt store; quarantine: move it aside and start empty. */
    @WithDefault("fail")
    OnCorruption onCorruption();

    /** How often the store drops expired messages and compacts itself while idle. */
    @WithDefault("5m")
    Duration compactInterval();

    enum Sync { ALWAYS, INTERVAL, NEVER }

    enum OnCorruption { FAIL, QUARANTINE }
}
