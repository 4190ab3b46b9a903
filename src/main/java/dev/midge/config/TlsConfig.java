package dev.midge.config;

import io.smallrye.config.WithDefault;

/** The TLS listener ({@code midge.tls.*}). */
public interface TlsConfig extends ServerCertificateConfig {
    @WithDefault("8883")
    int port();
}
