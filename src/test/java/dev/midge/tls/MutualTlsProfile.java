package dev.midge.tls;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A TLS listener on a free port with mounted certificates, client certificates required and their CN used as
 * user name; an ACL lets device-42 use devices/#, and anonymous plain-TCP clients plain/#.
 */
public class MutualTlsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        TestCertificates.create();
        Path acl = TestCertificates.DIR.resolve("acl");
        try {
            Files.writeString(acl, "topic readwrite plain/#\nuser device-42\ntopic readwrite devices/#\n");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Path mount = TestCertificates.MOUNT;
        return Map.of(
                "midge.tls.port", "0",
                "midge.tls.cert-file", mount.resolve("tls.crt").toString(),
                "midge.tls.key-file", mount.resolve("tls.key").toString(),
                "midge.tls.ca-file", mount.resolve("ca.crt").toString(),
                "midge.tls.client-auth", "required",
                "midge.tls.use-identity-as-username", "true",
                "midge.auth.acl-file", acl.toString(),
                "midge.reload-interval", "200ms");
    }
}
