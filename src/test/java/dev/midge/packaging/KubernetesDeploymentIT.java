package dev.midge.packaging;

import static dev.midge.packaging.RenderedManifests.list;
import static dev.midge.packaging.RenderedManifests.map;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.quarkus.runtime.configuration.DurationConverter;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import dev.midge.testing.MosquittoBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged broker ({@code target/quarkus-app/quarkus-run.jar}) run as the production manifests in
 * {@code k8s/} run it: in the container's working directory, with the exact application.properties of the
 * rendered ConfigMap in its {@code config/}, and with the ConfigMap and the Secrets laid out on disk as the
 * kubelet mounts them (a timestamped directory, a {@code ..data} symlink to it, and one symlink per key into
 * {@code ..data}). Clients connect over TLS with a user from the password file, and SIGTERM drains and stops
 * the broker within the pod's grace period.
 *
 * <p>What differs from a pod, and why:
 * <ul>
 *   <li>The pod's file system is rebuilt under {@code target/k8s-deployment-it/pod/}, since a test cannot
 *       create {@code /deployments/config}, {@code /certs}, {@code /etc/midge/auth} or {@code /data}. Every
 *       setting whose value lies under a mount (midge.tls.cert-file, midge.tls.key-file, midge.tls.ca-file,
 *       midge.auth.password-file, midge.auth.acl-file, midge.persistence.dir) is given the same path below that
 *       directory in an environment variable, which outranks config/application.properties.</li>
 *   <li>The listeners bind free ports on loopback (MIDGE_MQTT_HOST, MIDGE_MQTT_PORT, MIDGE_TLS_PORT,
 *       QUARKUS_HTTP_HOST, QUARKUS_HTTP_PORT), since the fixed ports may be taken and tests use loopback only.
 *       The test reads the bound ports from the log.</li>
 * </ul>
 * Everything else, the shutdown delay included, is the ConfigMap's.
 */
@Timeout(180)
class KubernetesDeploymentIT {

    private static final Pattern MQTT_BOUND = Pattern.compile("MQTT listener bound on [^:]+:(\\d+)");
    private static final Pattern TLS_BOUND = Pattern.compile("MQTT TLS listener bound on [^:]+:(\\d+)");
    private static final Pattern HTTP_BOUND = Pattern.compile("Listening on: http://[^:]+:(\\d+)");
    /** As the kubelet names a Secret's or ConfigMap's current version. */
    private static final String VERSION_DIR = "..2026_11_25_00_00_00.000000001";

    private static final String USER = "k8s-sensor";
    private static final String PASSWORD = "correct horse battery staple";

    private final Path work = Path.of("target", "k8s-deployment-it").toAbsolutePath();
    private final BlockingQueue<String> log = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();
    private Process broker;

    @AfterEach
    void stop() {
        for (Mqtt5BlockingClient client : clients) {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        }
        if (broker != null) {
            broker.destroyForcibly();
        }
    }

    @Test
    void servesTlsWithThePasswordFileAndDrainsOnSigterm() throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertTrue(Files.exists(jar), "package the application first");
        RenderedManifests k8s = RenderedManifests.render("k8s");
        Properties config = k8s.applicationProperties();
        assertEquals("false", config.getProperty("midge.auth.allow-anonymous"), "production requires a user");

        deleteRecursively(work);
        Path root = Files.createDirectories(work.resolve("pod"));
        Map<String, byte[]> tls = certificates(Files.createDirectories(work.resolve("openssl")));
        Map<String, byte[]> auth = Map.of("passwd", passwordFile(jar), "acl",
                ("user " + USER + "\ntopic readwrite sensors/#\n").getBytes(UTF_8));
        mountVolumes(k8s, root, tls, auth);

        Path workingDir = root.resolve(((String) k8s.container().get("workingDir")).substring(1));
        ProcessBuilder builder = new ProcessBuilder(javaCommand(), "-jar", jar.toAbsolutePath().toString())
                .directory(Files.createDirectories(workingDir).toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("MIDGE_") || name.startsWith("QUARKUS_"));
        for (Map<String, Object> variable : list(k8s.container(), "env")) {
            String name = (String) variable.get("name");
            if (variable.containsKey("valueFrom")) {
                // The downward API's pod address is this host's loopback here.
                assertEquals("status.podIP", RenderedManifests.map(variable, "valueFrom", "fieldRef")
                        .get("fieldPath"), name);
                env.put(name, "127.0.0.1");
            } else {
                env.put(name, remap(k8s, root, (String) variable.get("value")));
            }
        }
        // The headless Service's name resolves only inside Kubernetes: here the one pod finds itself through
        // localhost, on a port of the test's choosing.
        env.put("MIDGE_CLUSTER_DNS_NAME", "localhost");
        env.put("MIDGE_CLUSTER_PORT", Integer.toString(MosquittoBroker.freePort()));
        for (String key : config.stringPropertyNames()) {
            String value = config.getProperty(key);
            String remapped = remap(k8s, root, value);
            if (!remapped.equals(value)) {
                env.put(envName(key), remapped);
            }
        }
        assertEquals(List.of("MIDGE_AUTH_ACL_FILE", "MIDGE_AUTH_PASSWORD_FILE", "MIDGE_CLUSTER_DNS_NAME",
                        "MIDGE_CLUSTER_ENABLED", "MIDGE_CLUSTER_HOST", "MIDGE_CLUSTER_PORT", "MIDGE_PERSISTENCE_DIR",
                        "MIDGE_TLS_CA_FILE", "MIDGE_TLS_CERT_FILE", "MIDGE_TLS_KEY_FILE"),
                env.keySet().stream().filter(n -> n.startsWith("MIDGE_") || n.startsWith("QUARKUS_")).sorted()
                        .toList(), "the manifest's cluster settings and the remapped mount paths");
        env.put("MIDGE_MQTT_HOST", "127.0.0.1");
        env.put("MIDGE_MQTT_PORT", "0");
        env.put("MIDGE_TLS_PORT", "0");
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", "0");

        broker = builder.start();
        readLog(broker.getInputStream());
        int mqttPort = awaitLog(MQTT_BOUND);
        int tlsPort = awaitLog(TLS_BOUND);
        int httpPort = awaitLog(HTTP_BOUND);
        assertTrue(mqttPort > 0 && tlsPort > 0 && tlsPort != mqttPort);
        assertTrue(seen.stream().anyMatch(line -> line.contains(" started in ")), "started: " + seen);
        assertEquals(200, status(httpPort, "/q/health/ready"), "ready");

        TrustManagerFactory trust = trust(tls.get("ca.crt"));
        CompletableFuture<Mqtt5DisconnectReasonCode> serverDisconnect = new CompletableFuture<>();
        Mqtt5BlockingClient subscriber = client(tlsPort, trust, "k8s-subscriber", serverDisconnect);
        Mqtt5BlockingClient.Mqtt5Publishes received = subscriber.publishes(MqttGlobalPublishFilter.ALL);
        login(subscriber, PASSWORD);
        subscriber.subscribeWith().topicFilter("sensors/#").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient publisher = connect(tlsPort, trust, "k8s-publisher", PASSWORD);
        publisher.publishWith().topic("sensors/greenhouse/temp").payload("21.5".getBytes(UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5Publish message = received.receive(10, TimeUnit.SECONDS)
                .orElseThrow(() -> new AssertionError("no message over TLS within 10 s"));
        assertEquals("sensors/greenhouse/temp", message.getTopic().toString());
        assertEquals("21.5", new String(message.getPayloadAsBytes(), UTF_8));

        Mqtt5ConnAckException wrong = assertThrows(Mqtt5ConnAckException.class,
                () -> connect(tlsPort, trust, "k8s-wrong-password", "not the password"));
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, wrong.getMqttMessage().getReasonCode());
        Mqtt5BlockingClient anonymous = client(tlsPort, trust, "k8s-anonymous", new CompletableFuture<>());
        Mqtt5ConnAckException refused = assertThrows(Mqtt5ConnAckException.class, anonymous::connect);
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refused.getMqttMessage().getReasonCode());

        // SIGTERM, as the kubelet sends it: readiness turns DOWN while clients are still served, for the
        // ConfigMap's quarkus.shutdown.delay; then MQTT 5 clients are told the server shuts down, and the
        // process exits with 0 well within terminationGracePeriodSeconds.
        Duration delay = DurationConverter.parseDuration(config.getProperty("quarkus.shutdown.delay"));
        int grace = (Integer) k8s.podSpec().get("terminationGracePeriodSeconds");
        long sigterm = System.nanoTime();
        broker.destroy();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> status(httpPort, "/q/health/ready") == 503);
        assertTrue(subscriber.getState().isConnected(), "clients stay connected while the broker drains");
        publisher.publishWith().topic("sensors/greenhouse/temp").payload("21.7".getBytes(UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE).send();
        assertEquals("21.7", new String(received.receive(10, TimeUnit.SECONDS)
                .orElseThrow(() -> new AssertionError("not served while draining")).getPayloadAsBytes(), UTF_8));
        assertEquals(Mqtt5DisconnectReasonCode.SERVER_SHUTTING_DOWN,
                serverDisconnect.get(delay.toSeconds() + 10, TimeUnit.SECONDS));
        assertTrue(broker.waitFor(grace, TimeUnit.SECONDS), "exits within the grace period of " + grace + " s");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - sigterm);
        assertEquals(0, broker.exitValue(), "exit status after SIGTERM; output: " + seen);
        assertTrue(seconds >= delay.toSeconds() - 1, "drained for quarkus.shutdown.delay, not " + seconds + " s");
        assertTrue(seconds < grace, "stopped " + seconds + " s after SIGTERM, within the grace period");
    }

    /** The command that runs the same Java as the test. */
    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A path under one of the pod's mounts becomes the same path under the test's directory for it. */
    private static String remap(RenderedManifests k8s, Path root, String value) {
        if (value == null || !value.startsWith("/")) {
            return value;
        }
        return k8s.mountHolding(value).map(m -> root.resolve(value.substring(1)).toString()).orElse(value);
    }

    /** SmallRye Config's environment variable for a key: midge.tls.cert-file is MIDGE_TLS_CERT_FILE. */
    private static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /**
     * Lays out every ConfigMap and Secret volume of the container as the kubelet does, under root: the files in
     * a timestamped directory, {@code ..data} pointing at it, and each file a symlink to {@code ..data/NAME}.
     */
    private void mountVolumes(RenderedManifests k8s, Path root, Map<String, byte[]> tls, Map<String, byte[]> auth)
            throws Exception {
        for (Map<String, Object> mount : k8s.volumeMounts()) {
            Map<String, Object> volume = k8s.volume((String) mount.get("name"));
            Path dir = root.resolve(((String) mount.get("mountPath")).substring(1));
            Map<String, byte[]> files = new LinkedHashMap<>();
            if (volume.containsKey("configMap")) {
                String name = (String) map(volume, "configMap").get("name");
                map(k8s.named("ConfigMap", name), "data").forEach((k, v) -> files.put(k, ((String) v).getBytes(UTF_8)));
            } else if (volume.containsKey("secret")) {
                Map<String, Object> secret = map(volume, "secret");
                String name = (String) secret.get("secretName");
                Map<String, byte[]> data = switch (name) {
                    case "midge-tls" -> tls;
                    case "midge-auth" -> auth;
                    default -> throw new AssertionError("the test has no contents for Secret " + name);
                };
                List<Map<String, Object>> items = list(secret, "items");
                if (items.isEmpty()) {
                    files.putAll(data);
                }
                for (Map<String, Object> item : items) {
                    byte[] bytes = data.get((String) item.get("key"));
                    assertTrue(bytes != null, "Secret " + name + " has no key " + item.get("key"));
                    files.put((String) item.get("path"), bytes);
                }
            } else {
                Files.createDirectories(dir);
                continue;
            }
            Path version = Files.createDirectories(dir.resolve(VERSION_DIR));
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Files.write(version.resolve(file.getKey()), file.getValue());
            }
            Files.createSymbolicLink(dir.resolve("..data"), Path.of(VERSION_DIR));
            for (String name : files.keySet()) {
                Files.createSymbolicLink(dir.resolve(name), Path.of("..data", name));
            }
        }
    }

    /** ca.crt, and tls.crt and tls.key for 127.0.0.1 and localhost signed by it, made with openssl. */
    private static Map<String, byte[]> certificates(Path dir) throws Exception {
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                "-days", "2", "-subj", "/CN=midge-k8s-test-ca");
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "tls.key", "-out", "tls.csr",
                "-subj", "/CN=midge.default.svc");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,DNS:midge.default.svc,IP:127.0.0.1\n");
        openssl(dir, "x509", "-req", "-in", "tls.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial", "7",
                "-days", "2", "-extfile", "san.ext", "-out", "tls.crt");
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : List.of("tls.crt", "tls.key", "ca.crt")) {
            files.put(name, Files.readAllBytes(dir.resolve(name)));
        }
        return files;
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl " + args[0]);
        assertEquals(0, p.exitValue(), "openssl " + String.join(" ", args) + ": " + output);
    }

    /** A password file made by the broker's own {@code passwd} command, as an operator makes one. */
    private byte[] passwordFile(Path jar) throws Exception {
        Path file = work.resolve("passwd");
        Process p = new ProcessBuilder(javaCommand(), "-jar", jar.toString(), "passwd", "-b", file.toString(), USER,
                PASSWORD).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "passwd finishes");
        assertEquals(0, p.exitValue(), "passwd: " + output);
        return Files.readAllBytes(file);
    }

    private static TrustManagerFactory trust(byte[] caPem) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = new java.io.ByteArrayInputStream(caPem)) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory;
    }

    /** An MQTT 5 client over TLS, trusting the test CA; serverDisconnect gets the reason of a server's DISCONNECT. */
    private Mqtt5BlockingClient client(int port, TrustManagerFactory trust, String id,
            CompletableFuture<Mqtt5DisconnectReasonCode> serverDisconnect) {
        Mqtt5BlockingClient client = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(port)
                .sslConfig().trustManagerFactory(trust).applySslConfig()
                .addDisconnectedListener(context -> {
                    if (context.getSource() == MqttDisconnectSource.SERVER
                            && context.getCause() instanceof Mqtt5DisconnectException disconnect) {
                        serverDisconnect.complete(disconnect.getMqttMessage().getReasonCode());
                    }
                })
                .buildBlocking();
        clients.add(client);
        return client;
    }

    private static void login(Mqtt5BlockingClient client, String password) {
        client.connectWith().simpleAuth().username(USER).password(password.getBytes(UTF_8)).applySimpleAuth()
                .send();
    }

    private Mqtt5BlockingClient connect(int port, TrustManagerFactory trust, String id, String password) {
        Mqtt5BlockingClient client = client(port, trust, id, new CompletableFuture<>());
        login(client, password);
        return client;
    }

    private static int status(int port, String path) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private void readLog(InputStream output) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(output, UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    log.add(line);
                }
            } catch (Exception e) {
                log.add("<output closed: " + e.getMessage() + ">");
            }
        }, "broker-log");
        reader.setDaemon(true);
        reader.start();
    }

    /** The number the pattern captures in the first matching log line, reading up to 60 s. */
    private int awaitLog(Pattern pattern) throws InterruptedException {
        for (String line : seen) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = log.poll(1, TimeUnit.SECONDS);
            if (line != null) {
                seen.add(line);
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            } else if (!broker.isAlive()) {
                break;
            }
        }
        throw new AssertionError("no log line matching " + pattern + "; output: " + seen);
    }

    private static void deleteRecursively(Path dir) throws Exception {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
