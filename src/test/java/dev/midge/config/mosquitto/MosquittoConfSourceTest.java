package dev.midge.config.mosquitto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MosquittoConfSourceTest {

    @TempDir
    Path dir;

    @Test
    void theFileSetsValuesThatNameTheirLineAndMidgePropertiesOverrideIt() throws IOException {
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), "max_connections 5\nsys_interval 30\n");

        SmallRyeConfig config = config(Map.of(MosquittoConfSourceFactory.KEY, conf.toString(),
                "midge.sys-interval", "7s"), 300);

        ConfigValue connections = config.getConfigValue("midge.mqtt.max-connections");
        assertEquals("5", connections.getValue());
        assertEquals(conf + ":1", connections.getSourceName());
        assertEquals("7s", config.getConfigValue("midge.sys-interval").getValue());
    }

    @Test
    void thePackagedDefaultsDoNotOverrideTheFile() throws IOException {
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), "max_connections 5\n");

        SmallRyeConfig config = config(Map.of(MosquittoConfSourceFactory.KEY, conf.toString(),
                "midge.mqtt.max-connections", "9"), 250);

        assertEquals("5", config.getConfigValue("midge.mqtt.max-connections").getValue());
    }

    @Test
    void withoutAFileNothingIsAdded() {
        SmallRyeConfig config = config(Map.of("midge.mqtt.max-connections", "9"), 250);

        assertEquals("9", config.getConfigValue("midge.mqtt.max-connections").getValue());
    }

    @Test
    void aFileMosquittoWouldRefuseStopsTheConfiguration() throws IOException {
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), "listener one\n");

        RuntimeException e = assertThrows(RuntimeException.class,
                () -> config(Map.of(MosquittoConfSourceFactory.KEY, conf.toString()), 300));
        assertTrue(String.valueOf(e.getMessage()).contains(conf + ":1") || String.valueOf(e.getCause())
                .contains(conf + ":1"), String.valueOf(e));
    }

    private static SmallRyeConfig config(Map<String, String> properties, int ordinal) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", ordinal))
                .withSources(new MosquittoConfSourceFactory()).build();
    }

    @Test
    void rereadingTheFileGivesWhatChangedAndAnUpdateIsWhatTheSourceServesFromThen() throws IOException {
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"),
                "listener 1883\nallow_anonymous false\nmax_connections 5\nsys_interval 30\n");
        MosquittoConfSource source = new MosquittoConfSource(conf,
                MosquittoConfMapping.map(MosquittoConfReader.read(conf), false));
        Files.writeString(conf, "listener 1883\nallow_anonymous true\nmax_connections 5\n\n");

        Map<String, MappedConf.Setting> changes = MosquittoConfChanges.reread(source);

        assertEquals(2, changes.size(), changes.toString());
        assertEquals(new MappedConf.Setting("true", conf + ":2"), changes.get("midge.auth.allow-anonymous"));
        assertTrue(changes.containsKey("midge.sys-interval") && changes.get("midge.sys-interval") == null,
                "no longer set");
        source.update("midge.auth.allow-anonymous", changes.get("midge.auth.allow-anonymous"));
        assertEquals("true", source.getValue("midge.auth.allow-anonymous"));
        assertEquals(1, MosquittoConfChanges.reread(source).size(), "only what was not applied is left");

        Files.writeString(conf, "listner 1883\n");
        assertThrows(MosquittoConfException.class, () -> MosquittoConfChanges.reread(source));
    }
}
