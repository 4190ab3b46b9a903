package dev.midge.packaging;

import static dev.midge.packaging.RenderedManifests.list;
import static dev.midge.packaging.RenderedManifests.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.config.ConfigValidator;
import dev.midge.config.MidgeConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests in {@code k8s/} agree with the broker's configuration they mount: probes, ports,
 * Services, file paths and the shutdown drain all name what application.properties sets. Each check runs on
 * the production kustomization ({@code k8s}) and on the development overlay. The manifests are rendered with
 * {@code kubectl kustomize} (see {@link RenderedManifests}); without kubectl these tests fail, they never skip.
 */
@Timeout(120)
class KubernetesManifestsTest {

    private static final Map<String, RenderedManifests> RENDERED = new ConcurrentHashMap<>();

    /** The keys that name files the broker reads: all of them come from Secrets. */
    private static final List<String> FILE_KEYS = List.of("midge.tls.cert-file", "midge.tls.key-file",
            "midge.tls.ca-file", "midge.auth.password-file", "midge.auth.acl-file");

    private static RenderedManifests rendered(String dir) throws Exception {
        RenderedManifests manifests = RENDERED.get(dir);
        if (manifests == null) {
            manifests = RenderedManifests.render(dir);
            RENDERED.put(dir, manifests);
        }
        return manifests;
    }

    /** Port number by container port name, as application.properties configures the listeners. */
    private static Map<String, Integer> listeners(Properties config) {
        Map<String, Integer> ports = new TreeMap<>();
        ports.put("mqtt", Integer.parseInt(config.getProperty("midge.mqtt.port", "1883")));
        ports.put("http", Integer.parseInt(config.getProperty("quarkus.http.port", "8080")));
        if (config.getProperty("midge.tls.cert-file") != null) {
            ports.put("mqtts", Integer.parseInt(config.getProperty("midge.tls.port", "8883")));
        }
        return ports;
    }

    private static int clusterPort(Properties config) {
        return Integer.parseInt(config.getProperty("midge.cluster.port", "5701"));
    }

    private static int resolvePort(RenderedManifests k8s, Object port) {
        return (Integer) k8s.containerPort(port)
                .orElseThrow(() -> new AssertionError(k8s.dir() + ": no container port " + port))
                .get("containerPort");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s", "k8s/overlays/dev"})
    void theConfigMapIsAConfigurationTheBrokerAccepts(String dir) throws Exception {
        RenderedManifests k8s = rendered(dir);
        Properties properties = k8s.applicationProperties();
        Map<String, String> values = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
        // The same mapping and checks as at start-up: an unknown midge.* key or a bad value fails here.
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(values, "ConfigMap of " + dir, 250))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(MidgeConfig.class)
                .build();
        MidgeConfig midge = config.getConfigMapping(MidgeConfig.class);
        new ConfigValidator(config).validate(midge);
        assertEquals("0.0.0.0", midge.mqtt().host(), "the listeners must be reachable from other pods");
        assertFalse(values.containsKey("quarkus.http.host") && !"0.0.0.0".equals(values.get("quarkus.http.host")),
                "HTTP must be reachable by the kubelet's probes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s", "k8s/overlays/dev"})
    void probesAskTheHealthEndpointsOnTheHttpPort(String dir) throws Exception {
        RenderedManifests k8s = rendered(dir);
        int http = listeners(k8s.applicationProperties()).get("http");
        Map<String, String> paths = Map.of("livenessProbe", "/q/health/live", "readinessProbe", "/q/health/ready",
                "startupProbe", "/q/health/started");
        for (Map.Entry<String, String> probe : paths.entrySet()) {
            Map<String, Object> get = map(k8s.container(), probe.getKey(), "httpGet");
            assertEquals(probe.getValue(), get.get("path"), probe.getKey());
            assertEquals(http, resolvePort(k8s, get.get("port")), probe.getKey() + " port = quarkus.http.port");
            assertTrue(get.get("scheme") == null || "HTTP".equals(get.get("scheme")), probe.getKey());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s", "k8s/overlays/dev"})
    void containerPortsAreExactlyTheConfiguredListeners(String dir) throws Exception {
        RenderedManifests k8s = rendered(dir);
        Map<String, Integer> listeners = listeners(k8s.applicationProperties());
        Map<String, Integer> declared = new TreeMap<>();
        for (Map<String, Object> port : list(k8s.container(), "ports")) {
            assertNotNull(port.get("name"), "every container port is named: " + port);
            assertTrue(port.get("protocol") == null || "TCP".equals(port.get("protocol")), port.toString());
            declared.put((String) port.get("name"), (Integer) port.get("containerPort"));
        }
        Map<String, Integer> expected = new TreeMap<>(listeners);
        expected.put("cluster", clusterPort(k8s.applicationProperties()));
        assertEquals(expected, declared,
                "container ports by name: mqtt = midge.mqtt.port, mqtts = midge.tls.port (when TLS is configured),"
                        + " http = quarkus.http.port, cluster = midge.cluster.port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s", "k8s/overlays/dev"})
    void servicesSelectTheBrokerAndTargetItsPorts(String dir) throws Exception {
        RenderedManifests k8s = rendered(dir);
        Map<String, Object> podLabels = map(k8s.podTemplate(), "metadata", "labels");
        List<Map<String, Object>> services = k8s.all("Service");
        assertEquals(2, services.size(), "a Service for clients and the StatefulSet's headless one");
        for (Map<String, Object> service : services) {
            String name = (String) map(service, "metadata").get("name");
            Map<String, Object> selector = map(service, "spec", "selector");
            assertFalse(selector.isEmpty(), name + " selects pods");
            selector.forEach((label, value) -> assertEquals(value, podLabels.get(label), name + " selects " + label));
            List<Map<String, Object>> ports = list(map(service, "spec"), "ports");
            assertFalse(ports.isEmpty(), name + " has ports");
            for (Map<String, Object> port : ports) {
                Object target = port.getOrDefault("targetPort", port.get("port"));
                assertTrue(k8s.containerPort(target).isPresent(), name + " port " + port + " targets no container port");
                assertEquals(port.get("port"), resolvePort(k8s, target), name + ": same number outside and in the pod");
            }
        }
        String serviceName = (String) map(k8s.statefulSet(), "spec").get("serviceName");
        Map<String, Object> headless = k8s.named("Service", serviceName);
        assertEquals("None", map(headless, "spec").get("clusterIP"), serviceName + " is headless");
        Set<Integer> clientPorts = new TreeSet<>();
        for (Map<String, Object> service : services) {
            if (!"None".equals(map(service, "spec").get("clusterIP"))) {
                list(map(service, "spec"), "ports").forEach(p -> clientPorts.add((Integer) p.get("port")));
            }
        }
        assertEquals(new TreeSet<>(listeners(k8s.applicationProperties()).values()), clientPorts,
                "the client Service offers every listener");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s", "k8s/overlays/dev"})
    void configuredFilesLieInTheirSecretMountsUnderKeysOfTheSecret(String dir) throws Exception {
        RenderedManifests k8s = rendered(dir);
        Properties config = k8s.applicationProperties();
        Map<String, Set<String>> examples = exampleSecretKeys();
        Set<String> usedVolumes = new HashSet<>();
        for (String key : FILE_KEYS) {
            String file = config.getProperty(key);
            if (file == null) {
                continue;
            }
            assertTrue(file.startsWith("/"), key + " is an absolute path in the pod: " + file);
            Map<String, Object> mount = k8s.mountHolding(file)
                    .orElseThrow(() -> new AssertionError(dir + ": " + key + "=" + file + " lies in no mount"));
            String volumeName = (String) mount.get("name");
            Map<String, Object> volume = k8s.volume(volumeName);
            assertTrue(volume.containsKey("secret"), key + "=" + file + " must come from a Secret, not " + volume);
            Map<String, Object> secret = map(volume, "secret");
            String relative = Path.of((String) mount.get("mountPath")).relativize(Path.of(file)).toString();
            List<Map<String, Object>> items = list(secret, "items");
            String secretKey = items.isEmpty() ? relative : items.stream()
                    .filter(i -> relative.equals(i.get("path"))).map(i -> (String) i.get("key")).findFirst()
                    .orElseThrow(() -> new AssertionError(key + "=" + file + ": no item of volume " + volumeName
                            + " has path " + relative));
            String secretName = (String) secret.get("secretName");
            assertTrue(examples.containsKey(secretName), "k8s/examples shows the Secret " + secretName);
            assertTrue(examples.get(secretName).contains(secretKey),
                    key + "=" + file + " names key " + secretKey + " of Secret " + secretName + ", which has "
                            + examples.get(secretName));
            usedVolumes.add(volumeName);
        }
        if (config.getProperty("midge.tls.cert-file") != null) {
            Set<String> tlsVolumes = new HashSet<>();
            for (String key : List.of("midge.tls.cert-file", "midge.tls.key-file", "midge.tls.ca-file")) {
                tlsVolumes.add((String) k8s.mountHolding(config.getProperty(key)).orElseThrow().get("name"));
            }
            assertEquals(1, tlsVolumes.size(), "certificate, key and CA come from one TLS Secret");
        }
        for (Map<String, Object> mount : k8s.volumeMounts()) {
            Map<String, Object> volume = k8s.volume((String) mount.get("name"));
            if (volume.containsKey("secret")) {
                assertTrue(usedVolumes.contains((String) mount.get("name")),
                        dir + ": Secret volume " + mount.get("name") + " is mounted but no setting names its files");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s", "k8s/overlays/dev"})
    void secretsAndConfigurationAreMountedReadOnly(String dir) throws Exception {
        RenderedManifests k8s = rendered(dir);
        for (Map<String, Object> mount : k8s.volumeMounts()) {
            Map<String, Object> volume = k8s.volume((String) mount.get("name"));
            if (volume.containsKey("secret") || volume.containsKey("configMap")) {
                assertEquals(Boolean.TRUE, mount.get("readOnly"), mount.get("mountPath") + " is read-only");
            }
        }
        // The ConfigMap is mounted where Quarkus reads config/: applicationPropertiesText() finds it there.
        assertFalse(k8s.applicationPropertiesText().isBlank());
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s", "k8s/overlays/dev"})
    void theContainerRunsLockedDown(String dir) throws Exception {
        RenderedManifests k8s = rendered(dir);
        Map<String, Object> pod = k8s.podSpec().containsKey("securityContext")
                ? map(k8s.podSpec(), "securityContext") : Map.of();
        Map<String, Object> container = map(k8s.container(), "securityContext");
        // A container's own setting wins over the pod's.
        java.util.function.Function<String, Object> effective =
                key -> container.containsKey(key) ? container.get(key) : pod.get(key);
        assertEquals(Boolean.TRUE, effective.apply("runAsNonRoot"));
        assertEquals(1001, effective.apply("runAsUser"));
        assertEquals(Boolean.TRUE, container.get("readOnlyRootFilesystem"));
        assertEquals(Boolean.FALSE, container.get("allowPrivilegeEscalation"));
        assertTrue(((List<?>) map(container, "capabilities").get("drop")).contains("ALL"), "drops all capabilities");
        Object seccomp = effective.apply("seccompProfile");
        assertNotNull(seccomp, "a seccomp profile");
        assertEquals("RuntimeDefault", map(seccomp).get("type"));

        Map<String, Object> tmp = k8s.mountHolding("/tmp/x").orElseThrow(() -> new AssertionError("nothing at /tmp"));
        assertEquals("/tmp", tmp.get("mountPath"));
        assertTrue(k8s.volume((String) tmp.get("name")).containsKey("emptyDir"), "/tmp is an emptyDir");

        Map<String, Object> resources = map(k8s.container(), "resources");
        for (String kind : List.of("requests", "limits")) {
            assertNotNull(map(resources, kind).get("cpu"), kind + ".cpu");
            assertNotNull(map(resources, kind).get("memory"), kind + ".memory");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s", "k8s/overlays/dev"})
    void threeClusteredBrokersThatFindEachOtherThroughTheHeadlessServiceOnSeparateNodes(String dir)
            throws Exception {
        RenderedManifests k8s = rendered(dir);
        Map<String, Object> spec = map(k8s.statefulSet(), "spec");
        assertEquals(3, spec.get("replicas"));
        Map<String, Object> env = new HashMap<>();
        for (Map<String, Object> variable : list(k8s.container(), "env")) {
            env.put((String) variable.get("name"), variable.containsKey("value") ? variable.get("value")
                    : map(variable, "valueFrom", "fieldRef").get("fieldPath"));
        }
        String headlessName = (String) spec.get("serviceName");
        assertEquals("true", env.get("MIDGE_CLUSTER_ENABLED"));
        assertEquals(headlessName, env.get("MIDGE_CLUSTER_DNS_NAME"), "nodes are found through the headless Service");
        assertEquals("status.podIP", env.get("MIDGE_CLUSTER_HOST"), "the engine binds the pod's address");

        Map<String, Object> headless = map(k8s.named("Service", headlessName), "spec");
        assertEquals("None", headless.get("clusterIP"));
        assertEquals(Boolean.TRUE, headless.get("publishNotReadyAddresses"),
                "a pod is ready only after joining, so the others must find it before");
        int cluster = clusterPort(k8s.applicationProperties());
        assertTrue(list(headless, "ports").stream().anyMatch(p -> Integer.valueOf(cluster).equals(p.get("port"))),
                "the headless Service declares the cluster port");

        List<Map<String, Object>> preferred = list(map(k8s.podSpec(), "affinity", "podAntiAffinity"),
                "preferredDuringSchedulingIgnoredDuringExecution");
        assertFalse(preferred.isEmpty(), "pod anti-affinity spreads the brokers");
        Map<String, Object> term = map(preferred.get(0), "podAffinityTerm");
        assertEquals("kubernetes.io/hostname", term.get("topologyKey"));
        Map<String, Object> podLabels = map(k8s.podTemplate(), "metadata", "labels");
        map(term, "labelSelector", "matchLabels").forEach((label, value) ->
                assertEquals(value, podLabels.get(label), "anti-affinity selects the brokers by " + label));
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s", "k8s/overlays/dev"})
    void eachBrokerHasItsOwnVolumeAtData(String dir) throws Exception {
        RenderedManifests k8s = rendered(dir);
        Map<String, Object> spec = map(k8s.statefulSet(), "spec");
        Map<String, Object> podLabels = map(k8s.podTemplate(), "metadata", "labels");
        map(spec, "selector", "matchLabels").forEach((label, value) ->
                assertEquals(value, podLabels.get(label), "the StatefulSet selects its pods by " + label));
        String store = k8s.applicationProperties().getProperty("midge.persistence.dir");
        assertEquals("/data", store, "the store lives on the volume");
        Map<String, Object> data = k8s.mountHolding(store + "/midge.mv.db")
                .orElseThrow(() -> new AssertionError("nothing mounted at " + store));
        assertEquals("/data", data.get("mountPath"));
        assertTrue(k8s.volumeClaimTemplates().stream()
                        .anyMatch(t -> data.get("name").equals(map(t, "metadata").get("name"))),
                "/data is a volume claimed per pod");
        assertTrue(data.get("readOnly") == null || Boolean.FALSE.equals(data.get("readOnly")), "/data is writable");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s", "k8s/overlays/dev"})
    void theDisruptionBudgetCoversTheBroker(String dir) throws Exception {
        RenderedManifests k8s = rendered(dir);
        Map<String, Object> budget = k8s.only("PodDisruptionBudget");
        Map<String, Object> selector = map(budget, "spec", "selector", "matchLabels");
        assertFalse(selector.isEmpty(), "the budget selects pods");
        assertEquals(1, map(budget, "spec").get("maxUnavailable"), "one broker of the cluster away at a time");
        Map<String, Object> podLabels = map(k8s.podTemplate(), "metadata", "labels");
        selector.forEach((label, value) -> assertEquals(value, podLabels.get(label), "the budget selects " + label));
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s", "k8s/overlays/dev"})
    void theGracePeriodOutlastsTheShutdownDrain(String dir) throws Exception {
        RenderedManifests k8s = rendered(dir);
        String delay = k8s.applicationProperties().getProperty("quarkus.shutdown.delay");
        assertNotNull(delay, "quarkus.shutdown.delay is set, so clients are drained before the listeners close");
        long drain = DurationConverter.parseDuration(delay).toSeconds();
        Object grace = k8s.podSpec().get("terminationGracePeriodSeconds");
        assertNotNull(grace, "terminationGracePeriodSeconds is set");
        // After the drain: midge.shutdown-timeout (10 s) for the connections, then up to 10 s for the sessions'
        // last changes to reach the cluster and 10 s for the engine to hand its partitions over.
        assertTrue(((Integer) grace) >= drain + 30, "terminationGracePeriodSeconds " + grace
                + " leaves 30 s to close connections and leave the cluster after quarkus.shutdown.delay " + delay);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s", "k8s/overlays/dev"})
    void prometheusScrapesTheMetricsEndpoint(String dir) throws Exception {
        RenderedManifests k8s = rendered(dir);
        Map<String, Object> annotations = map(k8s.podTemplate(), "metadata", "annotations");
        assertEquals("true", annotations.get("prometheus.io/scrape"));
        assertEquals("/q/metrics", annotations.get("prometheus.io/path"));
        assertEquals(String.valueOf(listeners(k8s.applicationProperties()).get("http")),
                annotations.get("prometheus.io/port"));
    }

    @Test
    void productionServesTlsWithPasswordsAndDevelopmentPlainAndOpen() throws Exception {
        Properties production = rendered("k8s").applicationProperties();
        assertNotNull(production.getProperty("midge.tls.cert-file"));
        assertEquals("false", production.getProperty("midge.auth.allow-anonymous"));
        assertNotNull(production.getProperty("midge.auth.password-file"));
        assertEquals("always", production.getProperty("midge.persistence.sync"), "acknowledged means on disk");

        RenderedManifests dev = rendered("k8s/overlays/dev");
        Properties development = dev.applicationProperties();
        assertEquals("true", development.getProperty("midge.auth.allow-anonymous"));
        assertTrue(development.stringPropertyNames().stream().noneMatch(k -> k.startsWith("midge.tls.")),
                "no TLS in development");
        assertTrue(dev.volumeMounts().stream()
                        .noneMatch(m -> dev.volume((String) m.get("name")).containsKey("secret")), "no Secret to create in development");
    }

    /** Secret name to its keys, from the examples in k8s/examples. */
    private static Map<String, Set<String>> exampleSecretKeys() throws IOException {
        Map<String, Set<String>> keys = new HashMap<>();
        try (Stream<Path> files = Files.list(Path.of("k8s", "examples"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                for (Object document : new Yaml().loadAll(Files.readString(file))) {
                    Map<String, Object> object = map(document);
                    if ("Secret".equals(object.get("kind"))) {
                        Set<String> names = new TreeSet<>();
                        for (String field : List.of("data", "stringData")) {
                            if (object.get(field) != null) {
                                names.addAll(map(object, field).keySet());
                            }
                        }
                        keys.put((String) map(object, "metadata").get("name"), names);
                    }
                }
            }
        }
        return keys;
    }
}
