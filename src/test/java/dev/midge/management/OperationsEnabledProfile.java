package dev.midge.management;

import dev.midge.security.PasswordFile;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * $SYS topics every second and the admin API's write operations on, for the bearer token {@link #TOKEN} and
 * for user {@link #USER} with password {@link #PASSWORD} over HTTP Basic; besides the plain listener, the
 * built-in WebSocket one and two of {@code midge.listeners}: {@link #EXTRA} over TCP and {@code browsers} over
 * WebSocket.
 */
public class OperationsEnabledProfile implements QuarkusTestProfile {

    static final String TOKEN = "admin-test-token-4f9c2e7a";
    static final String USER = "operator";
    static final String PASSWORD = "operator-secret";
    static final String EXTRA = "plant";

    @Override
    public Map<String, String> getConfigOverrides() {
        Path dir = Path.of("target", "admin-test");
        Path token = dir.resolve("token");
        Path passwords = dir.resolve("passwd");
        try {
            Files.createDirectories(dir);
            Files.writeString(token, TOKEN + "\n");
            Files.writeString(passwords, PasswordFile.line(USER, PASSWORD.getBytes(StandardCharsets.UTF_8)) + "\n");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("midge.sys-interval", "1s", "midge.admin.enabled", "true",
                "midge.admin.token-file", token.toString(), "midge.admin.password-file", passwords.toString(),
                "midge.websocket.enabled", "true", "midge.websocket.port", "0",
                "midge.listeners." + EXTRA + ".port", "0", "midge.listeners." + EXTRA + ".host", "127.0.0.1",
                "midge.listeners.browsers.port", "0", "midge.listeners.browsers.websocket", "true");
    }
}
