package dev.midge.bridge;

import dev.midge.config.BridgeConfig;
import dev.midge.security.PemFiles;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/** The client side of TLS to a bridge's remote broker, verifying its certificate and host name. */
final class BridgeTls {

    private final SslContext context;

    private BridgeTls(SslContext context) {
        this.context = context;
    }

    /** The bridge's TLS, or null when it connects in plain TCP; wrong files stop start-up naming the keys. */
    static BridgeTls of(String key, BridgeConfig config) {
        if (!config.tls() && config.caFile().isEmpty() && config.certFile().isEmpty()) {
            return null;
        }
        if (config.certFile().isPresent() != config.keyFile().isPresent()) {
            throw new IllegalArgumentException(key + ".cert-file and " + key + ".key-file must be set together");
        }
        try {
            SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2");
            if (config.caFile().isPresent()) {
                builder.trustManager(PemFiles.certificates(Path.of(config.caFile().get()))
                        .toArray(new X509Certificate[0]));
            }
            if (config.certFile().isPresent()) {
                builder.keyManager(PemFiles.privateKey(Path.of(config.keyFile().get())),
                        PemFiles.certificates(Path.of(config.certFile().get())).toArray(new X509Certificate[0]));
            }
            return new BridgeTls(builder.build());
        } catch (Exception e) {
            throw new IllegalArgumentException(key + ".ca-file, .cert-file or .key-file cannot be used: "
                    + e.getMessage(), e);
        }
    }

    SslHandler newHandler(ByteBufAllocator alloc, String host, int port) {
        SslHandler handler = context.newHandler(alloc, host, port);
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        return handler;
    }
}
