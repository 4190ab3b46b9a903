package dev.midge.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The web dashboard ({@code midge.dashboard.*}). */
public interface DashboardConfig {
    /** Whether the dashboard's pages and its API ({@code /api/v1/dashboard}) are served. */
    @WithDefault("true")
    boolean enabled();

    /** How long a dashboard login lasts without being used. */
    @WithDefault("30m")
    Duration sessionTimeout();
}
