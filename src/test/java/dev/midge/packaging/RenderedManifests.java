package dev.midge.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.Yaml;

/**
 * The objects {@code kubectl kustomize DIR} renders from a kustomization under {@code k8s/}, with the lookups the
 * packaging tests need: the broker's container, its volumes and mounts, and the application.properties its
 * ConfigMap holds. {@code kubectl} is taken from the PATH, or from the environment variable {@code KUBECTL}
 * (to render with another version, e.g. Debian bookworm's 1.20 that CI installs).
 */
final class RenderedManifests {

    static final String KUBECTL_MISSING = "kubectl is needed to render k8s/: run .ci/run (it installs Debian's"
            + " kubernetes-client when kubectl is missing) or install kubectl 1.14 or newer";

    private final String dir;
    private final List<Map<String, Object>> objects;

    private RenderedManifests(String dir, List<Map<String, Object>> objects) {
        this.dir = dir;
        this.objects = objects;
    }

    /** Renders a kustomization directory, relative to the project's top directory; fails when it cannot. */
    static RenderedManifests render(String dir) throws Exception {
        String kubectl = Optional.ofNullable(System.getenv("KUBECTL")).filter(s -> !s.isBlank()).orElse("kubectl");
        Path errors = Files.createTempFile("kustomize", ".err");
        Process process;
        try {
            process = new ProcessBuilder(kubectl, "kustomize", dir).redirectError(errors.toFile()).start();
        } catch (IOException e) {
            Files.deleteIfExists(errors);
            throw new AssertionError(KUBECTL_MISSING + " (" + e.getMessage() + ")", e);
        }
        try {
            String yaml = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), kubectl + " kustomize " + dir + " did not finish");
            assertEquals(0, process.exitValue(), kubectl + " kustomize " + dir + " failed: "
                    + Files.readString(errors));
            List<Map<String, Object>> objects = new ArrayList<>();
            for (Object document : new Yaml().loadAll(yaml)) {
                if (document != null) {
                    objects.add(map(document));
                }
            }
            assertTrue(!objects.isEmpty(), dir + " renders nothing");
            return new RenderedManifests(dir, objects);
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(errors);
        }
    }

    String dir() {
        return dir;
    }

    List<Map<String, Object>> all(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    /** The one object of that kind; fails when there is none or more than one. */
    Map<String, Object> only(String kind) {
        List<Map<String, Object>> found = all(kind);
        assertEquals(1, found.size(), dir + ": number of " + kind + " objects");
        return found.get(0);
    }

    Map<String, Object> named(String kind, String name) {
        return all(kind).stream().filter(o -> name.equals(map(o, "metadata").get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError(dir + ": no " + kind + " named " + name));
    }

    Map<String, Object> statefulSet() {
        return only("StatefulSet");
    }

    Map<String, Object> podTemplate() {
        return map(statefulSet(), "spec", "template");
    }

    Map<String, Object> podSpec() {
        return map(podTemplate(), "spec");
    }

    /** The broker's container: the pod's only one. */
    Map<String, Object> container() {
        List<Map<String, Object>> containers = list(podSpec(), "containers");
        assertEquals(1, containers.size(), dir + ": containers in the broker's pod");
        return containers.get(0);
    }

    /** A container port by its name or number. */
    Optional<Map<String, Object>> containerPort(Object nameOrNumber) {
        return list(container(), "ports").stream()
                .filter(p -> nameOrNumber instanceof Integer
                        ? nameOrNumber.equals(p.get("containerPort")) : nameOrNumber.equals(p.get("name")))
                .findFirst();
    }

    List<Map<String, Object>> volumeMounts() {
        return list(container(), "volumeMounts");
    }

    Map<String, Object> volume(String name) {
        return list(podSpec(), "volumes").stream().filter(v -> name.equals(v.get("name"))).findFirst()
                .orElseGet(() -> volumeClaimTemplates().stream()
                        .filter(t -> name.equals(map(t, "metadata").get("name"))).findFirst()
                        .orElseThrow(() -> new AssertionError(dir + ": no volume " + name)));
    }

    List<Map<String, Object>> volumeClaimTemplates() {
        return list(map(statefulSet(), "spec"), "volumeClaimTemplates");
    }

    /** The mount whose directory holds the absolute path, the deepest one when mounts nest. */
    Optional<Map<String, Object>> mountHolding(String path) {
        Path file = Path.of(path);
        return volumeMounts().stream()
                .filter(m -> file.startsWith(Path.of((String) m.get("mountPath"))))
                .max((a, b) -> Integer.compare(((String) a.get("mountPath")).length(),
                        ((String) b.get("mountPath")).length()));
    }

    /**
     * The text of the application.properties the broker reads: {@code config/application.properties} below the
     * container's working directory, found through the ConfigMap volume mounted there.
     */
    String applicationPropertiesText() {
        Object workingDir = container().get("workingDir");
        assertNotNull(workingDir, dir + ": the container sets workingDir, below which Quarkus reads config/");
        String location = Path.of((String) workingDir, "config", "application.properties").toString();
        Map<String, Object> mount = mountHolding(location)
                .orElseThrow(() -> new AssertionError(dir + ": nothing is mounted where " + location + " lies"));
        Map<String, Object> volume = volume((String) mount.get("name"));
        assertTrue(volume.containsKey("configMap"), dir + ": " + location + " is not on a ConfigMap volume");
        String configMapName = (String) map(volume, "configMap").get("name");
        String key = Path.of((String) mount.get("mountPath")).relativize(Path.of(location)).toString();
        Object text = map(named("ConfigMap", configMapName), "data").get(key);
        assertNotNull(text, dir + ": ConfigMap " + configMapName + " has no key " + key);
        return (String) text;
    }

    Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(applicationPropertiesText()));
        return properties;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            assertTrue(current instanceof Map, "no map at " + key + " in " + node);
            current = ((Map<String, Object>) current).get(key);
        }
        assertTrue(current instanceof Map, "not a map: " + String.join(".", path));
        return (Map<String, Object>) current;
    }

    /** A list of maps, empty when the key is absent. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> node, String key) {
        Object value = node.get(key);
        return value == null ? List.of() : (List<Map<String, Object>>) Objects.requireNonNull(value);
    }
}
