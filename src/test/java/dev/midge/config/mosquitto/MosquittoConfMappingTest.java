package dev.midge.config.mosquitto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MosquittoConfMappingTest {

    @TempDir
    Path dir;

    @Test
    void debiansStockFileRunsLocalOnlyWithPersistenceAPidFileAndALogFile() throws IOException {
        Path confD = Files.createDirectory(dir.resolve("conf.d"));
        MappedConf conf = map("# Place your local configuration in /etc/mosquitto/conf.d/\n"
                + "pid_file /run/mosquitto/mosquitto.pid\n\npersistence true\n"
                + "persistence_location /var/lib/mosquitto/\n\nlog_dest file /var/log/mosquitto/mosquitto.log\n\n"
                + "include_dir " + confD + "\n");

        assertEquals(List.of(), conf.notHonoured());
        assertEquals("127.0.0.1", conf.value("midge.mqtt.host"));
        assertEquals("1883", conf.value("midge.mqtt.port"));
        assertEquals("true", conf.value("midge.auth.allow-anonymous"));
        assertEquals("true", conf.value("midge.persistence.enabled"));
        assertEquals("/var/lib/mosquitto/", conf.value("midge.persistence.dir"));
        assertEquals("/run/mosquitto/mosquitto.pid", conf.value("midge.pid-file"));
        assertEquals("true", conf.value("quarkus.log.file.enabled"));
        assertEquals("/var/log/mosquitto/mosquitto.log", conf.value("quarkus.log.file.path"));
        assertEquals("false", conf.value("quarkus.log.console.enabled"));
        assertEquals("true", conf.value("midge.log.connection-messages"));
        assertTrue(conf.settings().get("midge.persistence.dir").where().endsWith("mosquitto.conf:5"));
    }

    @Test
    void persistenceIsOffUnlessTurnedOnAsInMosquitto() throws IOException {
        assertEquals("false", map("sys_interval 10\n").value("midge.persistence.enabled"));
    }

    @Test
    void listenersMapOntoPlainTlsWebSocketAndSecureWebSocket() throws IOException {
        MappedConf conf = map("""
                password_file /etc/mosquitto/passwd
                listener 1884
                listener 8883
                certfile /certs/server.crt
                keyfile /certs/server.key
                cafile /certs/ca.crt
                require_certificate true
                use_identity_as_username true
                listener 9001
                protocol websockets
                listener 9002
                protocol websockets
                certfile /certs/server.crt
                keyfile /certs/server.key
                cafile /certs/ca.crt
                require_certificate true
                use_identity_as_username true
                """);

        assertEquals(List.of(), conf.notHonoured());
        assertEquals("1884", conf.value("midge.mqtt.port"));
        assertNull(conf.value("midge.mqtt.host"), "all interfaces, as Mosquitto's listener without address");
        assertEquals("8883", conf.value("midge.tls.port"));
        assertEquals("/certs/server.crt", conf.value("midge.tls.cert-file"));
        assertEquals("/certs/server.key", conf.value("midge.tls.key-file"));
        assertEquals("/certs/ca.crt", conf.value("midge.tls.ca-file"));
        assertEquals("required", conf.value("midge.tls.client-auth"));
        assertEquals("true", conf.value("midge.tls.use-identity-as-username"));
        assertEquals("true", conf.value("midge.websocket.enabled"));
        assertEquals("9001", conf.value("midge.websocket.port"));
        assertEquals("9002", conf.value("midge.websocket.tls-port"));
        assertEquals("*", conf.value("midge.websocket.path"), "any path, as Mosquitto's WebSocket listeners");
        assertEquals("/etc/mosquitto/passwd", conf.value("midge.auth.password-file"));
        assertNull(conf.value("midge.mqtt.enabled"), "the file has a plain listener");
        assertEquals("false", conf.value("midge.auth.allow-anonymous"), "Mosquitto 2.0 refuses anonymous clients");
    }

    @Test
    void maxConnectionsLimitsTheListenerItFollowsWithZeroOrLessMeaningNoLimit() throws IOException {
        MappedConf conf = map("""
                max_connections 7
                listener 8883
                certfile /certs/server.crt
                keyfile /certs/server.key
                max_connections 3
                listener 1884
                max_connections 0
                listener 9001
                protocol websockets
                max_connections -5
                listener 9002
                protocol websockets
                certfile /certs/server.crt
                keyfile /certs/server.key
                max_connections 4
                listener 1885
                max_connections 2
                listener 1886
                """);

        assertEquals("1883", conf.value("midge.mqtt.port"), "the default listener");
        assertEquals(new MappedConf.Setting("7", dir.resolve("mosquitto.conf") + ":1"),
                conf.settings().get("midge.mqtt.max-connections"));
        assertEquals("3", conf.value("midge.tls.max-connections"));
        assertEquals("-1", conf.value("midge.listeners.mqtt-1884.max-connections"));
        assertEquals("-1", conf.value("midge.websocket.max-connections"));
        assertEquals("4", conf.value("midge.websocket.tls-max-connections"));
        assertEquals(new MappedConf.Setting("2", dir.resolve("mosquitto.conf") + ":17"),
                conf.settings().get("midge.listeners.mqtt-1885.max-connections"));
        assertNull(conf.value("midge.listeners.mqtt-1886.max-connections"), "not inherited from the one before");
        assertNull(conf.value("midge.max-connections"), "no broker-wide limit");
    }

    @Test
    void maxConnectionsBeforeAnyListenerOpensTheDefaultListenerAsInMosquitto() throws IOException {
        MappedConf conf = map("max_connections 5\n");
        assertEquals("1883", conf.value("midge.mqtt.port"));
        assertNull(conf.value("midge.mqtt.host"), "all interfaces, not local only");
        assertEquals("false", conf.value("midge.auth.allow-anonymous"));
        assertEquals("5", conf.value("midge.mqtt.max-connections"));

        conf = map("max_connections 5\nlistener 1884 127.0.0.1\n");
        assertEquals("1883", conf.value("midge.mqtt.port"), "the default listener beside the declared one");
        assertEquals("5", conf.value("midge.mqtt.max-connections"));
        assertEquals("1884", conf.value("midge.listeners.mqtt-1884.port"));
        assertNull(conf.value("midge.listeners.mqtt-1884.max-connections"));

        conf = map("max_connections -1\n");
        assertEquals("127.0.0.1", conf.value("midge.mqtt.host"), "no limit opens no listener: local only");
        assertEquals("true", conf.value("midge.auth.allow-anonymous"));
    }

    @Test
    void aSecondListenerOfAKindOrOneOnAnotherAddressBecomesAnExtraListener() throws IOException {
        MappedConf conf = map("listener 1883 127.0.0.1\nallow_anonymous true\nlistener 1884\nlistener 9001 ::1\n"
                + "protocol websockets\nlistener 1884 127.0.0.2\n");

        assertEquals(List.of(), conf.notHonoured());
        assertEquals("127.0.0.1", conf.value("midge.mqtt.host"));
        assertEquals("1883", conf.value("midge.mqtt.port"));
        assertEquals("1884", conf.value("midge.listeners.mqtt-1884.port"));
        assertEquals("0.0.0.0", conf.value("midge.listeners.mqtt-1884.host"), "no address: every interface");
        assertEquals("9001", conf.value("midge.listeners.ws-9001.port"));
        assertEquals("::1", conf.value("midge.listeners.ws-9001.host"));
        assertEquals("true", conf.value("midge.listeners.ws-9001.websocket"));
        assertEquals("*", conf.value("midge.listeners.ws-9001.websocket-path"), "any path, as in Mosquitto");
        assertNull(conf.value("midge.listeners.mqtt-1884.websocket-path"));
        assertNull(conf.value("midge.websocket.path"), "no built-in WebSocket listener");
        assertNull(conf.value("midge.websocket.enabled"), "the built-in WebSocket listener binds 127.0.0.1 only");
        assertEquals("127.0.0.2", conf.value("midge.listeners.mqtt-1884-2.host"));
        assertEquals("true", conf.value("midge.auth.allow-anonymous"));
    }

    @Test
    void aSecondTlsListenerKeepsItsOwnCertificateAndClientChecks() throws IOException {
        MappedConf conf = map("""
                listener 8883
                certfile /certs/a.crt
                keyfile /certs/a.key
                listener 8884 127.0.0.1
                certfile /certs/b.crt
                keyfile /certs/b.key
                cafile /certs/ca.crt
                require_certificate true
                use_subject_as_username true
                """);

        assertEquals(List.of(), conf.notHonoured());
        assertEquals("false", conf.value("midge.mqtt.enabled"));
        assertEquals("/certs/a.crt", conf.value("midge.tls.cert-file"));
        assertEquals("none", conf.value("midge.tls.client-auth"));
        String b = "midge.listeners.tls-8884.";
        assertEquals("8884", conf.value(b + "port"));
        assertEquals("127.0.0.1", conf.value(b + "host"));
        assertEquals("/certs/b.crt", conf.value(b + "cert-file"));
        assertEquals("/certs/b.key", conf.value(b + "key-file"));
        assertEquals("/certs/ca.crt", conf.value(b + "ca-file"));
        assertEquals("required", conf.value(b + "client-auth"));
        assertEquals("true", conf.value(b + "use-identity-as-username"));
        assertEquals("subject", conf.value(b + "identity-source"));
    }

    @Test
    void useSubjectAsUsernameTakesTheSubjectAndUseIdentityWinsAsInMosquitto() throws IOException {
        String tls = "listener 8883\ncertfile /c.crt\nkeyfile /c.key\ncafile /ca.crt\nrequire_certificate true\n";
        MappedConf subject = map(tls + "use_subject_as_username true\n");
        assertEquals("true", subject.value("midge.tls.use-identity-as-username"));
        assertEquals("subject", subject.value("midge.tls.identity-source"));
        assertEquals(List.of(), subject.notHonoured());
        MappedConf both = map(tls + "use_subject_as_username true\nuse_identity_as_username true\n");
        assertEquals("cn", both.value("midge.tls.identity-source"));
    }

    @Test
    void aSecureWebSocketListenerWithItsOwnCertificateOrAloneIsAnExtraListener() throws IOException {
        MappedConf own = map("""
                listener 8883
                certfile /a.crt
                keyfile /a.key
                listener 9001
                protocol websockets
                listener 9002
                protocol websockets
                certfile /b.crt
                keyfile /b.key
                """);
        assertEquals("/a.crt", own.value("midge.tls.cert-file"));
        assertEquals("/b.crt", own.value("midge.listeners.wss-9002.cert-file"));
        assertEquals("true", own.value("midge.listeners.wss-9002.websocket"));
        assertNull(own.value("midge.websocket.tls-port"));

        MappedConf alone = map("listener 9002\nprotocol websockets\ncertfile /b.crt\nkeyfile /b.key\n");
        assertNull(alone.value("midge.tls.cert-file"), "no TLS listener on 8883 besides it");
        assertNull(alone.value("midge.websocket.enabled"), "no plain WebSocket listener besides it");
        assertEquals("9002", alone.value("midge.listeners.wss-9002.port"));
    }

    @Test
    void aFileWithoutAPlainListenerTurnsMidgesOff() throws IOException {
        MappedConf conf = map("listener 8883\ncertfile /c.crt\nkeyfile /c.key\n");

        assertEquals("false", conf.value("midge.mqtt.enabled"));
        assertEquals("8883", conf.value("midge.tls.port"));
    }

    @Test
    void portAndBindAddressMakeTheDefaultListener() throws IOException {
        MappedConf conf = map("port 1885\nbind_address 10.0.0.1\n");

        assertEquals("1885", conf.value("midge.mqtt.port"));
        assertEquals("10.0.0.1", conf.value("midge.mqtt.host"));
        assertEquals("false", conf.value("midge.auth.allow-anonymous"));
    }

    @Test
    void perListenerSettingsGiveEachListenerItsOwnAuthentication() throws IOException {
        MappedConf conf = map("""
                per_listener_settings true
                listener 1883
                allow_anonymous true
                listener 8883
                certfile /c.crt
                keyfile /c.key
                password_file /passwd
                acl_file /acl
                listener 1884
                password_file /passwd2
                """);

        assertEquals("true", conf.value("midge.listener-auth.mqtt.allow-anonymous"));
        assertEquals("/passwd2", conf.value("midge.listener-auth.mqtt-1884.password-file"));
        assertEquals("false", conf.value("midge.listener-auth.mqtt-1884.allow-anonymous"));
        assertEquals("/passwd", conf.value("midge.listener-auth.tls.password-file"));
        assertEquals("/acl", conf.value("midge.listener-auth.tls.acl-file"));
        assertEquals("false", conf.value("midge.listener-auth.tls.allow-anonymous"));
        assertNull(conf.value("midge.auth.password-file"));
    }

    @Test
    void limitsMapWithMosquittosZeroMeaningNoLimit() throws IOException {
        MappedConf conf = map("""
                max_inflight_messages 0
                max_queued_messages 0
                max_packet_size 0
                max_keepalive 120
                max_topic_alias 5
                sys_interval 30
                autosave_interval 60
                """);

        assertEquals(List.of(), conf.notHonoured());
        assertEquals("65535", conf.value("midge.max-inflight-messages"));
        assertEquals(Integer.toString(Integer.MAX_VALUE), conf.value("midge.max-queued-messages"));
        assertEquals("268435455", conf.value("midge.max-packet-size"));
        assertEquals("120", conf.value("midge.max-keepalive"));
        assertEquals("5", conf.value("midge.topic-alias.maximum"));
        assertEquals("30s", conf.value("midge.sys-interval"));
        assertEquals("interval", conf.value("midge.persistence.sync"));
        assertEquals("60s", conf.value("midge.persistence.flush-interval"));
    }

    @Test
    void optionsWithoutAnEquivalentAreNamedWithTheirLineAndOptionsSetAsMidgeBehavesAreNot() throws IOException {
        MappedConf conf = map("""
                set_tcp_nodelay true
                queue_qos0_messages false
                memory_limit 1000
                set_tcp_nodelay false
                auth_plugin /usr/lib/plugin.so
                log_dest syslog
                """);

        List<String> notHonoured = conf.notHonoured();
        assertEquals(4, notHonoured.size(), notHonoured.toString());
        assertTrue(notHonoured.get(0).startsWith("memory_limit 1000 (") && notHonoured.get(0)
                .contains("mosquitto.conf:3): no equivalent in Midge"), notHonoured.get(0));
        assertTrue(notHonoured.get(1).contains("Midge always behaves as set_tcp_nodelay true"), notHonoured.get(1));
        assertTrue(notHonoured.get(2).startsWith("auth_plugin"), notHonoured.get(2));
        assertTrue(notHonoured.get(3).startsWith("log_dest syslog"), notHonoured.get(3));
    }

    @Test
    void messageSizeLimitRetainAvailableAndPersistentClientExpirationBecomeMidgeSettings() throws IOException {
        MappedConf conf = map("message_size_limit 1000\nretain_available false\npersistent_client_expiration 14d\n");

        assertEquals(List.of(), conf.notHonoured());
        assertEquals("1000", conf.value("midge.max-payload-size"));
        assertEquals("false", conf.value("midge.retain-available"));
        assertEquals(14 * 86_400 + "s", conf.value("midge.max-session-expiry"));
        assertTrue(conf.settings().get("midge.max-session-expiry").where().endsWith("mosquitto.conf:3"));

        assertEquals("0", map("message_size_limit 0\n").value("midge.max-payload-size"), "0: no limit");
        assertEquals("true", map("retain_available true\n").value("midge.retain-available"));
        assertNull(map("listener 1883\n").value("midge.max-session-expiry"), "never, unless set");
        // Mosquitto's units: a month is 30 days, a year 365.
        String[][] durations = {{"2h", "7200s"}, {"1w", "604800s"}, {"2m", "5184000s"}, {"1y", "31536000s"}};
        for (String[] duration : durations) {
            assertEquals(duration[1], map("persistent_client_expiration " + duration[0] + "\n")
                    .value("midge.max-session-expiry"), duration[0]);
        }
    }

    @Test
    void badPayloadLimitsAndExpirationsStopAsInMosquitto() throws IOException {
        for (String value : new String[] {"-1", "268435456", "big"}) {
            assertThrows(MosquittoConfException.class, () -> map("message_size_limit " + value + "\n"), value);
        }
        for (String value : new String[] {"14", "0d", "-3d", "d", "5s"}) {
            MosquittoConfException e = assertThrows(MosquittoConfException.class,
                    () -> map("\npersistent_client_expiration " + value + "\n"), value);
            assertTrue(e.getMessage().contains("mosquitto.conf:2")
                    && e.getMessage().contains("invalid persistent_client_expiration"), e.getMessage());
        }
        assertThrows(MosquittoConfException.class, () -> map("retain_available no\n"));
    }

    @Test
    void certificateOptionsBeforeAnyListenerMakeTheDefaultListenerTlsAsInMosquitto() throws IOException {
        MappedConf conf = map("certfile /etc/c.pem\nkeyfile /etc/k.pem\ncafile /etc/ca.pem\n"
                + "require_certificate true\nlistener 1884 127.0.0.1\n");

        assertEquals("1883", conf.value("midge.tls.port"), "the default listener, on Mosquitto's default port");
        assertEquals("/etc/c.pem", conf.value("midge.tls.cert-file"));
        assertEquals("/etc/k.pem", conf.value("midge.tls.key-file"));
        assertEquals("/etc/ca.pem", conf.value("midge.tls.ca-file"));
        assertEquals("required", conf.value("midge.tls.client-auth"));
        assertNull(conf.value("midge.mqtt.host"), "all interfaces");
        assertEquals("1884", conf.value("midge.listeners.mqtt-1884.port"));
        assertEquals("127.0.0.1", conf.value("midge.listeners.mqtt-1884.host"));

        conf = map("port 8883\ncertfile /etc/c.pem\nkeyfile /etc/k.pem\n");
        assertEquals("8883", conf.value("midge.tls.port"));
        assertEquals("false", conf.value("midge.mqtt.enabled"));
    }

    @Test
    void certificateOptionsWithoutAnyListenerOrPortLeaveMosquittosPlainLocalOnlyListener() throws IOException {
        MappedConf conf = map("certfile /etc/c.pem\nkeyfile /etc/k.pem\n");

        assertEquals("127.0.0.1", conf.value("midge.mqtt.host"));
        assertEquals("1883", conf.value("midge.mqtt.port"));
        assertNull(conf.value("midge.mqtt.enabled"));
        assertNull(conf.value("midge.tls.cert-file"));
        assertEquals(2, conf.notHonoured().size(), conf.notHonoured().toString());
        assertTrue(conf.notHonoured().get(0).startsWith("certfile /etc/c.pem (")
                && conf.notHonoured().get(0).contains("plain MQTT on loopback only"), conf.notHonoured().get(0));
    }

    @Test
    void bridgeBlocksBecomeMidgeBridges() throws IOException {
        MappedConf conf = map("""
                connection cloud
                address broker.example:8883 backup.example:8883
                topic sensors/# out 1
                topic commands/# in 2 "" edge/
                remote_clientid edge-1
                remote_username edge
                remote_password secret
                cleansession true
                keepalive_interval 30
                restart_timeout 2 30
                bridge_cafile /ca.crt
                try_private false
                connection other
                address other.example
                topic # both
                """);

        assertEquals("broker.example:8883", conf.value("midge.bridges.cloud.address"));
        assertEquals("sensors/# out 1", conf.value("midge.bridges.cloud.topics[0]"));
        assertEquals("commands/# in 2 \"\" edge/", conf.value("midge.bridges.cloud.topics[1]"));
        assertEquals("edge-1", conf.value("midge.bridges.cloud.client-id"));
        assertEquals("edge", conf.value("midge.bridges.cloud.username"));
        assertEquals("secret", conf.value("midge.bridges.cloud.password"));
        assertEquals("true", conf.value("midge.bridges.cloud.clean-session"));
        assertEquals("30", conf.value("midge.bridges.cloud.keepalive"));
        assertEquals("2s", conf.value("midge.bridges.cloud.reconnect-delay"));
        assertEquals("30s", conf.value("midge.bridges.cloud.max-reconnect-delay"));
        assertEquals("/ca.crt", conf.value("midge.bridges.cloud.ca-file"));
        assertEquals("true", conf.value("midge.bridges.cloud.tls"));
        assertEquals("# both", conf.value("midge.bridges.other.topics[0]"));
        assertEquals(1, conf.notHonoured().size(), conf.notHonoured().toString());
        assertTrue(conf.notHonoured().get(0).contains("one address, broker.example:8883"));
    }

    @Test
    void aBridgeOptionBeforeAnyConnectionStops() throws IOException {
        MosquittoConfException e = assertThrows(MosquittoConfException.class, () -> map("topic a/# out\n"));
        assertTrue(e.getMessage().contains("mosquitto.conf:1") && e.getMessage().contains("no connection"),
                e.getMessage());
    }

    @Test
    void badValuesStopWithFileAndLine() throws IOException {
        assertThrows(MosquittoConfException.class, () -> map("\nallow_anonymous yes\n"), "bool");
        MosquittoConfException e = assertThrows(MosquittoConfException.class, () -> map("listener 70000\n"));
        assertTrue(e.getMessage().contains("mosquitto.conf:1") && e.getMessage().contains("invalid port"),
                e.getMessage());
        e = assertThrows(MosquittoConfException.class, () -> map("max_connections many\n"));
        assertTrue(e.getMessage().contains("expected a number"), e.getMessage());
        e = assertThrows(MosquittoConfException.class, () -> map("log_type chatty\n"));
        assertTrue(e.getMessage().contains("invalid log_type"), e.getMessage());
    }

    @Test
    void userIsRefusedWhenRunningAsRootBecauseMidgeCannotDropPrivileges() throws IOException {
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), "user mosquitto\n");
        List<ConfLine> lines = MosquittoConfReader.read(conf);

        MosquittoConfException e = assertThrows(MosquittoConfException.class,
                () -> MosquittoConfMapping.map(lines, true));
        assertTrue(e.getMessage().contains("cannot drop privileges to 'mosquitto'"), e.getMessage());
        assertEquals(List.of(), MosquittoConfMapping.map(lines, false).notHonoured());
    }

    @Test
    void logTypeAndTimestampsShapeTheLogLines() throws IOException {
        MappedConf conf = map("log_dest stdout\nlog_type error\nlog_type warning\n"
                + "log_timestamp_format %Y-%m-%dT%H:%M:%S\nconnection_messages false\n");

        assertEquals("WARN", conf.value("quarkus.log.category.\"dev.midge\".level"));
        assertEquals("%d{yyyy'-'MM'-'dd'T'HH':'mm':'ss}: %s%e%n", conf.value("quarkus.log.console.format"));
        assertNull(conf.value("quarkus.log.console.enabled"));
        assertEquals("false", conf.value("midge.log.connection-messages"));
        assertEquals("%s%e%n", map("log_timestamp false\n").value("quarkus.log.file.format"));
        assertTrue(map("log_timestamp_format %s\n").notHonoured().get(0).startsWith("log_timestamp_format %s"));
    }

    private MappedConf map(String text) throws IOException {
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), text);
        return MosquittoConfMapping.map(MosquittoConfReader.read(conf), false);
    }
}
