package dev.midge.security;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A broker with a password file written by mosquitto_passwd and an ACL file, reloaded every 200 ms. The files
 * live at a fixed path because Quarkus loads this class in two class loaders, whose static initializers must
 * agree on where the broker's files are.
 */
public class SecurityProfile implements QuarkusTestProfile {

    static final Path DIR;
    static final Path PASSWORDS;
    static final Path ACL;

    static {
        try {
            DIR = Files.createDirectories(Path.of("target", "security-test"));
            PASSWORDS = DIR.resolve("passwords");
            Files.write(PASSWORDS, new byte[0]);
            ACL = DIR.resolve("acl");
            PasswordFileTest.mosquittoPasswd(PASSWORDS, "alice", "secret1");
            PasswordFileTest.mosquittoPasswd(PASSWORDS, "bob", "secret2");
            Files.writeString(ACL, String.join("\n",
                    "user alice",
                    "topic deny sensors/private/temp",
                    "topic readwrite sensors/#",
                    "topic read will/#",
                    "user bob",
                    "topic read sensors/+/temp",
                    "topic write will/bob",
                    "pattern readwrite clients/%u/#"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "midge.auth.password-file", PASSWORDS.toString(),
                "midge.auth.acl-file", ACL.toString(),
                "midge.reload-interval", "200ms");
    }
}
