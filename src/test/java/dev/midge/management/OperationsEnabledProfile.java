package dev.midge.management;

import dev.midge.security.ListenerAuthTest;
import dev.midge.security.PasswordFile;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * $SYS topics every second and the admin API's write operations on, for the bearer token {@link #TOKEN} and
 * for user {@link #USER} with password {@link #PASSWORD} over HTTP Basic; besides the plain listener, the
 * built-in WebSocket one and two of {@code midge.listeners}: {@link #EXTRA} over TCP and {@code browsers} over
 * WebSocket.
 *
 * <p>Other tests share this application start, with settings that nothing else here looks at:
 * {@code FirstByteTest}'s connect timeout, long beside the close it expects at once; {@link ListenerAuthTest}'s
 * password file and ACL of the WebSocket listener; and {@link LimitsApiTest}'s limits: a client id banned at its
 * third connection within a minute (no other test here connects one id more than twice), and clients whose id
 * starts with {@code limited-} limited to one PUBLISH in 10 s, the excess rejected.
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
        Map<String, String> settings = new HashMap<>(Map.of("midge.sys-interval", "1s", "midge.admin.enabled", "true",
                "midge.admin.token-file", token.toString(), "midge.admin.password-file", passwords.toString(),
                "midge.websocket.enabled", "true", "midge.websocket.port", "0",
                "midge.listeners." + EXTRA + ".port", "0", "midge.listeners." + EXTRA + ".host", "127.0.0.1",
                "midge.listeners.browsers.port", "0", "midge.listeners.browsers.websocket", "true"));
        settings.put("midge.connect-timeout", "30s");
        settings.putAll(ListenerAuthTest.webSocketAuth());
        settings.put("midge.limits.flapping.enabled", "true");
        settings.put("midge.limits.flapping.max-count", "2");
        settings.put("midge.limits.flapping.window", "1m");
        settings.put("midge.limits.flapping.ban", "10m");
        settings.put("midge.limits.rules[0].client-id-prefix", "limited-");
        settings.put("midge.limits.rules[0].publish-rate", "0.1");
        settings.put("midge.limits.rules[0].on-excess", "reject");
        return settings;
    }
}
