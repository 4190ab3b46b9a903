package dev.midge.config;

import io.smallrye.config.WithDefault;

/** The TLS listener ({@code midge.tls.*}). */
public interface TlsConfig extends ServerCertificateConfig {
    @WithDefault("8883")
    int port();

    /** Clients this listener serves at once; -1: no limit of its own, only {@code midge.max-connections}. */
    @WithDefault("-1")
    int maxConnections();
}
