package dev.midge.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The health probes ({@code midge.health.*}). */
public interface HealthConfig {
    /** The liveness probe reports DOWN when an event loop has not run its probe task for this long. */
    @WithDefault("5s")
    Duration eventLoopTimeout();
}
