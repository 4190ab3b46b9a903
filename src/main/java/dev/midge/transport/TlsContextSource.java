package dev.midge.transport;

import dev.midge.config.ServerCertificateConfig;
import dev.midge.security.FileWatcher;
import dev.midge.security.PemFiles;
import dev.midge.security.ReloadingFile;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A TLS listener's SslContext, built from PEM files and rebuilt when they change: new connections get the
 * new certificate, open ones keep theirs, and files that do not make a valid context leave the old one in use.
 */
public final class TlsContextSource {

    private final ReloadingFile<SslContext> context;

    /** @param prefix where the settings come from, such as {@code midge.tls}, for error messages */
    TlsContextSource(ServerCertificateConfig tls, String prefix, FileWatcher watcher) {
        Path cert = Path.of(tls.certFile().orElseThrow());
        Path key = Path.of(tls.keyFile().orElseThrow());
        Path ca = tls.caFile().map(Path::of).orElse(null);
        List<Path> files = ca == null ? List.of(cert, key) : List.of(cert, key, ca);
        try {
            context = new ReloadingFile<>(files, () -> build(cert, key, ca, tls.clientAuth()));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("TLS files " + files + " (" + prefix + ".cert-file, " + prefix
                    + ".key-file, " + prefix + ".ca-file) cannot be used: " + e.getMessage(), e);
        }
        watcher.watch(context);
    }

    SslContext current() {
        return context.value();
    }

    private static SslContext build(Path certFile, Path keyFile, Path caFile, ServerCertificateConfig.ClientAuth auth)
            throws IOException {
        try {
            List<X509Certificate> chain = PemFiles.certificates(certFile);
            if (chain.isEmpty()) {
                throw new IOException(certFile + ": no certificate");
            }
            SslContextBuilder builder = SslContextBuilder.forServer(PemFiles.privateKey(keyFile),
                    chain.toArray(new X509Certificate[0]))
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2");
            if (caFile != null) {
                builder.trustManager(PemFiles.certificates(caFile).toArray(new X509Certificate[0]));
            }
            builder.clientAuth(switch (auth) {
                case NONE -> ClientAuth.NONE;
                case REQUEST -> ClientAuth.OPTIONAL;
                case REQUIRED -> ClientAuth.REQUIRE;
            });
            return builder.build();
        } catch (GeneralSecurityException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
