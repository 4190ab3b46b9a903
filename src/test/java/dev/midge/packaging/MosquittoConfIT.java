package dev.midge.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import dev.midge.testing.BrokerProcess;
import dev.midge.testing.MosquittoBroker;
import dev.midge.testing.RawMqttClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged broker run with {@code -c mosquitto.conf}, Debian's stock file with a {@code conf.d/} as an
 * operator moving over from Mosquitto has it (only the directories and port are the test's): the juniper flow
 * with the Mosquitto clients, Mosquitto's log lines in the log file, retained messages kept across a restart
 * in the configured directory, the pid file, SIGHUP reloading the password file and reopening the log, and
 * WebSocket listeners that take any path.
 */
@Timeout(180)
class MosquittoConfIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    @TempDir
    Path dir;

    @Test
    void debiansStockConfigurationRunsUnchanged() throws Exception {
        int port = MosquittoBroker.freePort();
        Path confD = Files.createDirectory(dir.resolve("conf.d"));
        Path log = dir.resolve("log").resolve("mosquitto.log");
        Files.createDirectories(log.getParent());
        Path pidFile = dir.resolve("mosquitto.pid");
        Path data = dir.resolve("lib");
        Path passwd = dir.resolve("passwd");
        run("mosquitto_passwd", "-c", "-b", passwd.toString(), "alice", "first");
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), "# Place your local configuration in "
                + "/etc/mosquitto/conf.d/\n#\n\npid_file " + pidFile + "\n\npersistence true\npersistence_location "
                + data + "/\n\nlog_dest file " + log + "\n\ninclude_dir " + confD + "\n");
        Files.writeString(confD.resolve("local.conf"), "listener " + port + " 127.0.0.1\nallow_anonymous true\n"
                + "password_file " + passwd + "\nmemory_limit 100000000\n");

        Process broker = start(conf);
        try {
            awaitLine(log, "MQTT listener bound on 127.0.0.1:" + port, broker);
            assertEquals(Long.toString(broker.pid()), Files.readString(pidFile).strip(), "pid_file");
            assertTrue(awaitLine(log, "Not honoured: memory_limit 100000000", broker)
                    .contains(confD.resolve("local.conf") + ":4"), "the WARN line names the file and line");

            Process sub = client("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-t", "juniper",
                    "-C", "1", "-i", "juniper-sub");
            awaitLine(log, "as juniper-sub", broker);
            run("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-t", "juniper", "-m",
                    "Hello World!");
            assertTrue(sub.waitFor(10, TimeUnit.SECONDS), "mosquitto_sub got its message and exited");
            assertEquals("Hello World!", new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .strip());
            assertTrue(awaitLine(log, "New connection from 127.0.0.1:", broker).contains("on port " + port + "."));
            assertTrue(awaitLine(log, "New client connected from 127.0.0.1:", broker)
                    .matches(".*New client connected from 127\\.0\\.0\\.1:\\d+ as juniper-sub \\(p2, c1, k60\\)\\."),
                    "Mosquitto's wording");
            awaitLine(log, "Client juniper-sub disconnected.", broker);

            run("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-t", "juniper/kept", "-r", "-q",
                    "1", "-m", "kept");

            // SIGHUP: a changed password file counts at once, and logrotate's moved file is replaced.
            run("mosquitto_passwd", "-b", passwd.toString(), "alice", "second");
            Path rotated = dir.resolve("log").resolve("mosquitto.log.1");
            Files.move(log, rotated);
            run("kill", "-HUP", Long.toString(broker.pid()));
            awaitLine(log, "SIGHUP: reopened 1 log file(s)", broker);
            awaitPublishAccepted(port, "alice", "second", broker);

            stop(broker);
            assertFalse(Files.exists(pidFile), "the pid file is removed at shutdown");
        } finally {
            broker.destroyForcibly();
        }

        Process again = start(conf);
        try {
            awaitLine(log, "MQTT listener bound on 127.0.0.1:" + port, again);
            Process sub = client("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-t",
                    "juniper/kept", "-C", "1");
            assertTrue(sub.waitFor(10, TimeUnit.SECONDS), "the retained message survived the restart");
            assertEquals("kept", new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
            stop(again);
        } finally {
            again.destroyForcibly();
        }
    }

    @Test
    void sighupAppliesAllowAnonymousTheLogOptionsAndMessageLimitsAndNamesWhatTakesARestart() throws Exception {
        int port = MosquittoBroker.freePort();
        Path log = dir.resolve("mosquitto.log");
        Path passwd = dir.resolve("passwd");
        run("mosquitto_passwd", "-c", "-b", passwd.toString(), "alice", "first");
        String common = "listener " + port + " 127.0.0.1\npassword_file " + passwd + "\nlog_dest file " + log + "\n";
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), common + "allow_anonymous false\n");

        Process broker = start(conf);
        try {
            awaitLine(log, "MQTT listener bound on 127.0.0.1:" + port, broker);
            assertNotEquals(0, publish(port, "refused-anonymous"), "allow_anonymous false");

            String restartOptions = "max_connections 50\nmessage_size_limit 100\nretain_available false\n"
                    + "persistent_client_expiration 2d\n";
            Files.writeString(conf, common + "allow_anonymous true\nlog_timestamp false\n" + restartOptions);
            run("kill", "-HUP", Long.toString(broker.pid()));
            String applied = awaitLine(log, "SIGHUP: re-read", broker);
            String restart = awaitLine(log, "SIGHUP: these changes to " + conf + " take a restart", broker);
            assertTrue(restart.contains("midge.mqtt.max-connections=50 (" + conf + ":6)"),
                    "one WARN line names what is not applied: " + restart);
            for (String named : new String[] {"midge.max-payload-size=100 (" + conf + ":7)",
                "midge.retain-available=false (" + conf + ":8)", "midge.max-session-expiry=172800s (" + conf + ":9)"}) {
                assertTrue(applied.contains(named) && !restart.contains(named), "as Mosquitto, SIGHUP applies it: "
                        + applied);
            }
            assertTrue(publishMqtt5(port, 101).contains("Packet too large"), "message_size_limit 100 applied");
            assertNotEquals(0, publishWith(port, "-q", "1", "-r"), "retain_available false applied");
            assertTrue(Files.readString(log).contains("MQTT listener bound on"), "a log file not moved away is "
                    + "reopened as it is, not rotated");
            assertEquals(0, publish(port, "anonymous-now"), "allow_anonymous true applied");
            awaitLine(log, "New client connected", broker);
            assertTrue(Files.readAllLines(log).stream().anyMatch(line -> line.startsWith("New client connected from")
                    && line.contains(" as anonymous-now ")), "log_timestamp false applied: no timestamp");

            Files.writeString(conf, common + "allow_anonymous true\nlog_timestamp false\n" + restartOptions
                    .replace("message_size_limit 100", "message_size_limit 268435456"));
            run("kill", "-HUP", Long.toString(broker.pid()));
            String refused = awaitLine(log, "invalid message_size_limit value (268435456)", broker);
            assertTrue(refused.contains(conf + ":7") && refused.endsWith("the configuration in use stays"),
                    "refused as at start-up: " + refused);
            assertTrue(publishMqtt5(port, 101).contains("Packet too large"), "message_size_limit 100 stays");

            Files.writeString(conf, common + "allow_anonymous true\nlog_timestamp false\n" + restartOptions
                    + "log_type warning\n");
            run("kill", "-HUP", Long.toString(broker.pid()));
            // The INFO line saying it was applied is itself below the new level: wait for the next WARN.
            awaitLines(log, "take a restart", 2, broker);
            assertEquals(0, publish(port, "quiet-client"));
            run("kill", "-HUP", Long.toString(broker.pid()));
            awaitLines(log, "take a restart", 3, broker);
            assertFalse(Files.readString(log).contains("quiet-client"), "log_type warning applied: no INFO lines");
            stop(broker);
        } finally {
            broker.destroyForcibly();
        }
    }

    /** mosquitto_pub's exit status for one anonymous QoS 1 message. */
    private static int publish(int port, String clientId) throws Exception {
        Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-i",
                clientId, "-q", "1", "-t", "juniper", "-m", "x").redirectErrorStream(true).start();
        assertTrue(pub.waitFor(20, TimeUnit.SECONDS), "mosquitto_pub finished");
        return pub.exitValue();
    }

    /** Waits until the log has at least that many lines containing the text. */
    private static void awaitLines(Path log, String text, int count, Process broker) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Files.readAllLines(log).stream().filter(line -> line.contains(text)).count() < count) {
            assertTrue(System.nanoTime() < deadline && broker.isAlive(), count + " lines with '" + text + "': "
                    + Files.readString(log));
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    @Test
    void sighupAppliesKeepaliveInflightAndConnectionMessagesToClientsConnectingFromThenAndRefusesBadValues()
            throws Exception {
        int port = MosquittoBroker.freePort();
        Path log = dir.resolve("mosquitto.log");
        String common = "log_dest file " + log + "\nlistener " + port + " 127.0.0.1\nallow_anonymous true\n";
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), common
                + "max_keepalive 30\nmax_inflight_messages 1\nconnection_messages false\n");

        Process broker = start(conf);
        try {
            awaitLine(log, "MQTT listener bound on 127.0.0.1:" + port, broker);
            assertNotEquals(0, publishWith(port, "-i", "keepalive-60-before", "-k", "60"), "max_keepalive 30");
            assertInflight(port, "inflight-before", 1);

            Files.writeString(conf, common + "max_keepalive 120\nmax_inflight_messages 2\n");
            run("kill", "-HUP", Long.toString(broker.pid()));
            assertTrue(awaitLine(log, "SIGHUP: re-read", broker).contains("midge.max-keepalive=120 ("));
            assertEquals(0, publishWith(port, "-i", "keepalive-60-after", "-k", "60"), "max_keepalive 120 applied");
            assertInflight(port, "inflight-after", 2);
            awaitLine(log, "as keepalive-60-after ", broker);
            assertFalse(Files.readString(log).contains("as inflight-before "), "no connection lines before");

            Files.writeString(conf, common + "max_keepalive 120\nmax_inflight_messages 70000\n");
            run("kill", "-HUP", Long.toString(broker.pid()));
            assertTrue(awaitLine(log, "SIGHUP: these values in", broker).endsWith(
                    "midge.max-inflight-messages=70000 (" + conf + ":5) must be between 1 and 65535"));
            assertInflight(port, "inflight-refused", 2);
            stop(broker);
        } finally {
            broker.destroyForcibly();
        }
    }

    @Test
    void sighupAppliesQueueLimitSysIntervalPacketSizeAndAnotherPasswordFileToWhatStartsFromThen()
            throws Exception {
        int port = MosquittoBroker.freePort();
        Path log = dir.resolve("mosquitto.log");
        Path passwd = dir.resolve("passwd");
        run("mosquitto_passwd", "-c", "-b", passwd.toString(), "alice", "second");
        String common = "log_dest file " + log + "\nlistener " + port + " 127.0.0.1\nallow_anonymous true\n";
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), common
                + "max_queued_messages 1\nsys_interval 0\nmax_packet_size 200\n");
        String[] bigPublish = {"mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-q", "1", "-t",
            "big", "-m", "x".repeat(300)};

        Process broker = start(conf);
        try {
            awaitLine(log, "MQTT listener bound on 127.0.0.1:" + port, broker);
            assertQueuedWhileOffline(port, "queued-before", 1);
            Process refused = new ProcessBuilder(bigPublish).redirectErrorStream(true).start();
            assertTrue(refused.waitFor(20, TimeUnit.SECONDS), "mosquitto_pub finished");
            assertNotEquals(0, refused.exitValue(), "a packet over max_packet_size 200 closes the connection");
            assertEquals(200, announcedMaxPacketSize(port));
            assertEquals(0, publishWith(port, "-u", "alice", "-P", "any"), "no password file: any password");
            Files.writeString(conf, common + "max_queued_messages 2\nsys_interval 1\nmax_packet_size 1000\n"
                    + "password_file " + passwd + "\n");
            run("kill", "-HUP", Long.toString(broker.pid()));
            assertTrue(awaitLine(log, "SIGHUP: re-read", broker).contains("midge.max-queued-messages=2 ("));
            assertQueuedWhileOffline(port, "queued-after", 2);
            run(bigPublish);
            assertEquals(1000, announcedMaxPacketSize(port), "what an MQTT 5 CONNACK announces changes with it");
            assertNotEquals(0, publishWith(port, "-u", "alice", "-P", "any"), "the password file applies");
            assertEquals(0, publishWith(port, "-u", "alice", "-P", "second"));

            Files.writeString(conf, common + "max_queued_messages 2\nsys_interval 1\nmax_packet_size 1000\n"
                    + "password_file " + dir.resolve("missing") + "\n");
            run("kill", "-HUP", Long.toString(broker.pid()));
            assertTrue(awaitLine(log, "SIGHUP: these values in", broker).contains("midge.auth.password-file="
                    + dir.resolve("missing") + " cannot be read"));
            assertEquals(0, publishWith(port, "-u", "alice", "-P", "second"), "the password file in use stays");
            // With sys_interval 0 at start-up nothing was ever published under $SYS.
            run("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-t", "$SYS/broker/uptime",
                    "-C", "1", "-W", "10");
            stop(broker);
        } finally {
            broker.destroyForcibly();
        }
    }

    private static int announcedMaxPacketSize(int port) {
        Mqtt5BlockingClient client = Mqtt5Client.builder().serverHost("127.0.0.1").serverPort(port)
                .identifier("announced-max-packet-size").buildBlocking();
        int announced = client.connect().getRestrictions().getMaximumPacketSize();
        client.disconnect();
        return announced;
    }

    /** A new persistent session, offline, keeps exactly {@code queued} of three QoS 1 messages for its client. */
    private static void assertQueuedWhileOffline(int port, String clientId, int queued) throws Exception {
        try (RawMqttClient sub = new RawMqttClient(port)) {
            sub.connectAccepted(clientId, false);
            sub.subscribe(1, clientId, 1);
            sub.subAck(1);
            sub.disconnect();
            assertTrue(sub.closedWithin(5_000));
        }
        for (int i = 0; i < 3; i++) {
            run("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-q", "1", "-t", clientId, "-m",
                    "m" + i);
        }
        try (RawMqttClient back = new RawMqttClient(port)) {
            assertTrue(back.connectAccepted(clientId, false), "session present");
            for (int i = 0; i < queued; i++) {
                RawMqttClient.Packet message = back.expect(RawMqttClient.PUBLISH);
                assertEquals("m" + i, message.payload());
                back.ack(RawMqttClient.PUBACK, message.publishPacketId());
            }
            // Another PUBLISH would come before the PINGRESP.
            back.ping();
        }
    }

    @Test
    void sighupAppliesAnotherAclFile() throws Exception {
        int port = MosquittoBroker.freePort();
        Path log = dir.resolve("mosquitto.log");
        Path acl = Files.writeString(dir.resolve("acl"), "topic readwrite allowed/#\ntopic write secret/#\n");
        String common = "log_dest file " + log + "\nlistener " + port + " 127.0.0.1\nallow_anonymous true\n";
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), common);

        Process broker = start(conf);
        try {
            awaitLine(log, "MQTT listener bound on 127.0.0.1:" + port, broker);
            assertEquals("denied", firstOfDeniedThenAllowed(port, "acl-before"), "no ACL file");
            try (RawMqttClient early = new RawMqttClient(port)) {
                early.connectAccepted("acl-early", true);
                early.subscribe(1, 1, "secret/#", "allowed/#");
                early.subAck(1);
                Files.writeString(conf, common + "acl_file " + acl + "\n");
                run("kill", "-HUP", Long.toString(broker.pid()));
                assertTrue(awaitLine(log, "SIGHUP: re-read", broker).contains("midge.auth.acl-file=" + acl));
                assertEquals("allowed", firstOfDeniedThenAllowed(port, "acl-after"), "the ACL file applies");
                publishEachUnder(port, "early", "secret", "allowed");
                assertEquals("allowed", early.expect(RawMqttClient.PUBLISH).payload(),
                        "a subscription made before: secret/# may be written, not read");
            }
            stop(broker);
        } finally {
            broker.destroyForcibly();
        }
    }

    /** What a subscriber to denied/# and allowed/# gets first when a message is published to each, in order. */
    private static String firstOfDeniedThenAllowed(int port, String clientId) throws Exception {
        try (RawMqttClient sub = new RawMqttClient(port)) {
            sub.connectAccepted(clientId, true);
            sub.subscribe(1, 1, "denied/#", "allowed/#");
            sub.subAck(1);
            publishEachUnder(port, clientId, "denied", "allowed");
            return sub.expect(RawMqttClient.PUBLISH).payload();
        }
    }

    /** Publishes at QoS 1, in order, the message {@code root} to {@code root/leaf} for each root. */
    private static void publishEachUnder(int port, String leaf, String... roots) throws Exception {
        for (String root : roots) {
            // Returns on PUBACK: the broker has routed the message.
            run("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-q", "1", "-t", root + "/" + leaf,
                    "-m", root);
        }
    }

    /** mosquitto_pub's exit status for one message, with the options given. */
    private static int publishWith(int port, String... options) throws Exception {
        return publishing(port, "x", options).exitValue();
    }

    /** What mosquitto_pub printed for one MQTT 5 QoS 1 message of that many bytes. */
    private static String publishMqtt5(int port, int payloadSize) throws Exception {
        return new String(publishing(port, "x".repeat(payloadSize), "-V", "mqttv5", "-q", "1").getInputStream()
                .readAllBytes(), StandardCharsets.UTF_8);
    }

    private static Process publishing(int port, String payload, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-t", "options", "-m", payload));
        command.addAll(List.of(options));
        Process pub = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(pub.waitFor(20, TimeUnit.SECONDS), "mosquitto_pub finished");
        return pub;
    }

    /** A new subscriber that acknowledges nothing gets exactly {@code inflight} of three QoS 1 messages. */
    private static void assertInflight(int port, String clientId, int inflight) throws Exception {
        try (RawMqttClient sub = new RawMqttClient(port)) {
            // Below any max_keepalive of the test.
            sub.connect(clientId, true, 20).expect(RawMqttClient.CONNACK);
            sub.subscribe(1, clientId, 1);
            sub.subAck(1);
            for (int i = 0; i < 3; i++) {
                // Returns on PUBACK: the broker has routed the message to the subscriber's session.
                run("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-k", "20", "-q", "1", "-t",
                        clientId, "-m", "m" + i);
            }
            for (int i = 0; i < inflight; i++) {
                assertEquals("m" + i, sub.expect(RawMqttClient.PUBLISH).payload());
            }
            // Another PUBLISH would come before the PINGRESP.
            sub.ping();
        }
    }

    @Test
    void sighupSwitchesTheLogDestinationsMovesTheStoreAndChangesItsWriteIntervalAndRefusesAnUnusableLogFile()
            throws Exception {
        int port = MosquittoBroker.freePort();
        Path first = dir.resolve("first.log");
        Path second = dir.resolve("logs").resolve("second.log");
        Path stdout = dir.resolve("stdout");
        Path stderr = dir.resolve("stderr");
        String start = "listener " + port + " 127.0.0.1\nallow_anonymous true\nlog_timestamp false\n"
                + "persistence true\npersistence_location " + dir.resolve("data") + "\n";
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), start + "log_dest file " + first + "\n");
        Path moved = dir.resolve("moved");
        String common = start.replace(dir.resolve("data").toString(), moved.toString());

        Process broker = start(conf, ProcessBuilder.Redirect.to(stdout.toFile()),
                ProcessBuilder.Redirect.to(stderr.toFile()));
        try {
            // SIGHUP's handler is installed once start-up is done.
            awaitLine(first, ") started in ", broker);

            Files.writeString(conf, common + "log_dest file " + second + "\nlog_dest stdout\nautosave_interval 5\n");
            run("kill", "-HUP", Long.toString(broker.pid()));
            String applied = awaitLine(second, "SIGHUP: re-read", broker);
            for (String named : new String[] {"quarkus.log.file.path=" + second + " (" + conf + ":6)",
                "quarkus.log.console.enabled unset", "midge.persistence.sync=interval (" + conf + ":8)",
                "midge.persistence.flush-interval=5s (" + conf + ":8)",
                "midge.persistence.dir=" + moved + " (" + conf + ":5)"}) {
                assertTrue(applied.contains(named), named + " applied: " + applied);
            }
            assertTrue(Files.exists(moved.resolve("midge.mv.db")), "the store moved with persistence_location");
            assertEquals(0, publish(port, "after-first"));
            assertTrue(awaitLine(stdout, "as after-first ", broker).startsWith("New client connected from"),
                    "Mosquitto's lines on the new destination, log_timestamp false as before");
            awaitLine(second, "as after-first ", broker);
            assertFalse(Files.readString(first).contains("after-first"), "the old file gets no more lines");
            assertFalse(Files.readString(second).contains("take a restart"), "nothing left for a restart");

            Files.writeString(conf, common + "log_dest file " + first + "\nlog_dest stderr\n");
            run("kill", "-HUP", Long.toString(broker.pid()));
            assertTrue(awaitLine(first, "SIGHUP: re-read", broker).contains("midge.persistence.sync unset"),
                    "autosave_interval removed: every change on disk before it is acknowledged, as at start-up");
            assertEquals(0, publish(port, "after-second"));
            awaitLine(stderr, "as after-second ", broker);
            awaitLine(first, "as after-second ", broker);
            assertFalse(Files.readString(second).contains("after-second") || Files.readString(stdout)
                    .contains("after-second"), "neither the second file nor stdout get lines any more");

            Path unusable = conf.resolve("mosquitto.log");
            Files.writeString(conf, common + "log_dest file " + unusable + "\n");
            run("kill", "-HUP", Long.toString(broker.pid()));
            String refused = awaitLine(first, "SIGHUP: these values in", broker);
            assertTrue(refused.contains("quarkus.log.file.path=" + unusable + " (" + conf + ":6) cannot be opened"),
                    refused);
            assertEquals(0, publish(port, "after-refused"));
            awaitLine(stderr, "as after-refused ", broker);
            awaitLine(first, "as after-refused ", broker);
            stop(broker);
        } finally {
            broker.destroyForcibly();
        }
    }

    @Test
    void webSocketListenersTakeTheUpgradeAtAnyPathAsMosquittosDo() throws Exception {
        int port = MosquittoBroker.freePort();
        int webSocket = MosquittoBroker.freePort();
        int second = MosquittoBroker.freePort();
        Path log = dir.resolve("mosquitto.log");
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), "log_dest file " + log + "\nlistener " + port
                + " 127.0.0.1\nlistener " + webSocket + " 127.0.0.1\nprotocol websockets\nlistener " + second
                + " 127.0.0.1\nprotocol websockets\n");

        Process broker = start(conf);
        try {
            awaitLine(log, "listener ws-" + second + " bound on 127.0.0.1:" + second, broker);
            for (int listener : new int[] {webSocket, second}) {
                for (String path : List.of("/", "/mqtt", "/any/other")) {
                    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("mqtt")
                            .buildAsync(URI.create("ws://127.0.0.1:" + listener + path), new WebSocket.Listener() {
                            }).get(10, TimeUnit.SECONDS);
                    assertEquals("mqtt", ws.getSubprotocol(), listener + path);
                    ws.abort();
                }
            }
            stop(broker);
        } finally {
            broker.destroyForcibly();
        }
    }

    @Test
    void aSyntaxErrorStopsStartUpWithFileLineAndReason() throws Exception {
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), "persistence false\n\nlistner 1883\n");

        Process broker = start(conf);
        try {
            assertTrue(broker.waitFor(60, TimeUnit.SECONDS), "the broker gives up");
            String output = new String(broker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertNotEquals(0, broker.exitValue());
            assertTrue(output.contains(conf + ":3: unknown configuration variable \"listner\""), output);
        } finally {
            broker.destroyForcibly();
        }
    }

    private Process start(Path conf) throws IOException {
        return command(conf).redirectErrorStream(true).start();
    }

    private Process start(Path conf, ProcessBuilder.Redirect stdout, ProcessBuilder.Redirect stderr)
            throws IOException {
        return command(conf).redirectOutput(stdout).redirectError(stderr).start();
    }

    private static ProcessBuilder command(Path conf) {
        return new ProcessBuilder(BrokerProcess.java(), "-Dquarkus.http.port=0", "-Dmidge.reload-interval=1h",
                "-jar", JAR.toString(), "-c", conf.toString());
    }

    private static void stop(Process broker) throws InterruptedException {
        broker.toHandle().destroy();
        assertTrue(broker.waitFor(30, TimeUnit.SECONDS), "stopped on SIGTERM");
        assertEquals(0, broker.exitValue());
    }

    private static Process client(String... command) throws IOException {
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": "
                + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static void awaitPublishAccepted(int port, String user, String password, Process broker)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && broker.isAlive()) {
            Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-u",
                    user, "-P", password, "-t", "juniper", "-m", "x").redirectErrorStream(true).start();
            if (pub.waitFor(10, TimeUnit.SECONDS) && pub.exitValue() == 0) {
                return;
            }
            pub.destroyForcibly();
        }
        fail(user + " with the new password was not accepted after SIGHUP");
    }

    /** The first line of the log file containing the text, waiting up to 60 s for it. */
    private static String awaitLine(Path log, String text, Process broker) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    if (line.contains(text)) {
                        return line;
                    }
                }
            }
            if (!broker.isAlive()) {
                fail("the broker ended: " + new String(broker.getInputStream().readAllBytes(),
                        StandardCharsets.UTF_8) + "; log: " + (Files.exists(log) ? Files.readString(log) : "none"));
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        fail("no line containing '" + text + "' in " + log + ": " + (Files.exists(log) ? Files.readString(log) : ""));
        return null;
    }
}
