package dev.midge.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** packaging/systemd/midge.service: valid for systemd, its own user, restarted on failure, reloaded by SIGHUP. */
class SystemdUnitTest {

    private static final Path UNIT = Path.of("packaging", "systemd", "midge.service");

    @Test
    void theUnitRunsTheMosquittoConfigurationAsItsOwnUserAndReloadsOnSighup() throws Exception {
        List<String> lines = Files.readAllLines(UNIT);

        assertTrue(lines.contains("User=midge"), "its own user");
        assertTrue(lines.contains("Restart=on-failure"));
        assertTrue(lines.contains("ExecReload=/bin/kill -HUP $MAINPID"));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("ExecStart=") && l.contains("quarkus-run.jar -c "
                + "/etc/mosquitto/mosquitto.conf")), "runs the stock configuration");
        assertTrue(lines.contains("RuntimeDirectory=mosquitto"), "room for the stock pid_file");
    }

    @Test
    void systemdAcceptsTheUnit() throws Exception {
        Process verify = new ProcessBuilder("systemd-analyze", "verify", UNIT.toString()).redirectErrorStream(true)
                .start();
        assertTrue(verify.waitFor(30, TimeUnit.SECONDS));
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, verify.exitValue(), output);
        assertEquals("", output.strip(), "no warnings");
    }
}
