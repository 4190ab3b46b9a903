package dev.midge.tls;

import dev.midge.security.PasswordFile;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One event loop, a TLS listener without client certificates, an ACL, and a password file in which user
 * {@code slow} has a hash that takes seconds to check while {@code fast} has Mosquitto's usual one.
 */
public class SlowPasswordProfile implements QuarkusTestProfile {

    /** How long a check of the slow user's password should take, at least, on this machine. */
    static final long SLOW_CHECK_MILLIS = 3_000;

    static final Path DIR = Path.of("target", "slow-password-test").toAbsolutePath();

    @Override
    public Map<String, String> getConfigOverrides() {
        TestCertificates.create();
        Path passwords = DIR.resolve("passwords");
        Path acl = DIR.resolve("acl");
        // Once per JVM: Quarkus asks twice, and calibrating twice would write two different files.
        if (System.getProperty("midgetest.slow-password") == null) {
            try {
                Files.createDirectories(DIR);
                Files.writeString(passwords, PasswordFile.line("slow", bytes("slow-secret"), slowIterations())
                        + "\n" + PasswordFile.line("fast", bytes("fast-secret")) + "\n");
                Files.writeString(acl, "user fast\ntopic readwrite allowed/#\nuser slow\ntopic readwrite allowed/#\n");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            System.setProperty("midgetest.slow-password", passwords.toString());
        }
        Path mount = TestCertificates.MOUNT;
        return Map.of(
                "quarkus.vertx.event-loops-pool-size", "1",
                "midge.tls.port", "0",
                "midge.tls.cert-file", mount.resolve("tls.crt").toString(),
                "midge.tls.key-file", mount.resolve("tls.key").toString(),
                "midge.auth.password-file", passwords.toString(),
                "midge.auth.acl-file", acl.toString(),
                "midge.connect-timeout", "120s");
    }

    /**
     * PBKDF2 iterations that take {@link #SLOW_CHECK_MILLIS} here, measured on 100,000 once warmed up, and never
     * fewer than 2,000,000 (about 4 s on a quiet core): measured while Quarkus starts, the sample runs slow.
     */
    private static int slowIterations() {
        int sample = 100_000;
        PasswordFile.line("warm-up", bytes("x"), sample);
        long start = System.nanoTime();
        PasswordFile.line("calibration", bytes("x"), sample);
        long nanos = Math.max(1, System.nanoTime() - start);
        long calibrated = sample * (SLOW_CHECK_MILLIS * 1_000_000L) / nanos;
        return (int) Math.max(2_000_000L, Math.min(50_000_000L, calibrated));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
