package dev.midge.management;

import dev.midge.config.MidgeConfig;
import dev.midge.security.FileWatcher;
import dev.midge.security.PasswordFile;
import dev.midge.security.ReloadingFile;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Who may use the admin API's write operations: whoever presents the bearer token of
 * {@code midge.admin.token-file}, or a user and password of {@code midge.admin.password-file} with HTTP Basic.
 * Both files are reloaded when they change, like the broker's own password file.
 */
@ApplicationScoped
public class AdminCredentials {

    private static final int MIN_TOKEN_LENGTH = 16;

    private final boolean enabled;
    private final ReloadingFile<byte[]> token;
    private final ReloadingFile<PasswordFile> passwords;

    public AdminCredentials(MidgeConfig config, FileWatcher watcher) {
        enabled = config.admin().enabled();
        token = config.admin().tokenFile()
                .map(f -> ReloadingFile.configured("midge.admin.token-file", f, AdminCredentials::readToken))
                .orElse(null);
        passwords = config.admin().passwordFile()
                .map(f -> ReloadingFile.configured("midge.admin.password-file", f, PasswordFile::read))
                .orElse(null);
        if (token != null) {
            watcher.watch(token);
        }
        if (passwords != null) {
            watcher.watch(passwords);
        }
    }

    private static byte[] readToken(java.nio.file.Path file) throws java.io.IOException {
        String first = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
        if (first.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException("the token on its first line must have at least " + MIN_TOKEN_LENGTH
                    + " characters");
        }
        return first.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code midge.admin.enabled}: whether write operations are served at all. */
    public boolean enabled() {
        return enabled;
    }

    /** Whether a token file or a password file is configured: then the dashboard's read-only views need them too. */
    public boolean configured() {
        return token != null || passwords != null;
    }

    /** Whether a user and password of the password file, or (without a user) the bearer token, grant access. */
    public boolean permits(String user, String password) {
        String secret = password == null ? "" : password;
        if (user == null || user.isEmpty()) {
            return permits("Bearer " + secret);
        }
        return permits("Basic " + Base64.getEncoder().encodeToString((user + ":" + secret)
                .getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether an {@code Authorization} header value (null when absent) grants the write operations. */
    public boolean permits(String authorization) {
        if (authorization == null) {
            return false;
        }
        if (token != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            byte[] presented = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
            return MessageDigest.isEqual(presented, token.value());
        }
        if (passwords != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            int colon = decoded.indexOf(':');
            return colon > 0 && passwords.value().verify(decoded.substring(0, colon),
                    decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
        }
        return false;
    }

    /** The schemes a client may use, for the {@code WWW-Authenticate} header of a 401. */
    public String challenge() {
        return passwords != null ? "Basic realm=\"midge-admin\"" : "Bearer realm=\"midge-admin\"";
    }
}
