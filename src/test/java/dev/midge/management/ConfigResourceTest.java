package dev.midge.management;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /api/v1/config and /api/v1/config/{key}, redaction, and the OpenAPI document. */
@QuarkusTest
class ConfigResourceTest {

    @Test
    void listsEveryMappedKeyWithValueAndSource() {
        List<String> names = given().get("/api/v1/config").then().statusCode(200)
                .body("find { it.name == 'midge.max-packet-size' }.value", equalTo("1048576"))
                .body("find { it.name == 'midge.max-packet-size' }.source", equalTo("default"))
                .body("find { it.name == 'midge.max-packet-size' }.defaultValue", equalTo("1048576"))
                // The test profile's line in application.properties.
                .body("find { it.name == 'midge.mqtt.port' }.value", equalTo("0"))
                .body("find { it.name == 'midge.mqtt.port' }.source", containsString("application.properties"))
                .body("find { it.name == 'midge.mqtt.port' }.defaultValue", equalTo("1883"))
                // Optional and unset: listed, without value or source.
                .body("find { it.name == 'midge.max-keepalive' }.value", nullValue())
                .body("find { it.name == 'midge.max-keepalive' }.source", nullValue())
                .body("name", hasItems("midge.mqtt.host", "midge.topic-alias.maximum", "midge.topic-alias.outbound",
                        "midge.sys-interval", "midge.health.event-loop-timeout", "midge.admin.enabled",
                        "midge.connect-timeout", "midge.reason-strings"))
                .extract().jsonPath().getList("name", String.class);
        assertEquals(names.stream().sorted().toList(), names, "sorted by name");
        assertTrue(names.stream().allMatch(n -> n.startsWith("midge.")), "only midge.* keys");
    }

    @Test
    void oneKey() {
        given().get("/api/v1/config/midge.topic-alias.maximum").then().statusCode(200)
                .body("name", equalTo("midge.topic-alias.maximum"))
                .body("value", equalTo("10"))
                .body("source", equalTo("default"))
                .body("redacted", equalTo(false));
    }

    @Test
    void unknownKeyIs404Json() {
        given().get("/api/v1/config/midge.no-such-key").then().statusCode(404)
                .contentType("application/json")
                .body("status", equalTo(404))
                .body("message", containsString("midge.no-such-key"));
    }

    @Test
    void keysOutsideMidgeAreNotServed() {
        given().get("/api/v1/config/quarkus.http.port").then().statusCode(404).body("status", equalTo(404));
    }

    @Test
    void secretsAreRecognisedAndKeyFilesAreNot() {
        assertTrue(EffectiveConfig.isSecret("midge.auth.password"));
        assertTrue(EffectiveConfig.isSecret("midge.tls.key-store-password"));
        assertTrue(EffectiveConfig.isSecret("midge.bridge.client-secret"));
        assertTrue(EffectiveConfig.isSecret("midge.jwt.token"));
        assertTrue(EffectiveConfig.isSecret("midge.tls.key"));
        assertFalse(EffectiveConfig.isSecret("midge.auth.password-file"), "a path, shown");
        assertFalse(EffectiveConfig.isSecret("midge.listener-auth.tls.password-file"), "per listener too");
        assertTrue(EffectiveConfig.isSecret("midge.bridge.private-key"));
        assertFalse(EffectiveConfig.isSecret("midge.tls.key-file"));
        assertFalse(EffectiveConfig.isSecret("midge.topic-alias.maximum"));
        assertTrue(EffectiveConfig.isSecret("midge.integrations.kafka.attributes.\"sasl.jaas.config\""),
                "a Kafka JAAS line holds a password");
    }

    @Test
    void secretValuesAreRedactedAndPathsShown() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(
                Map.of("midge.auth.password", "hunter2", "midge.tls.key-file", "/etc/midge/tls.key"), "test", 500))
                .build();
        ConfigEntry password = EffectiveConfig.entry(config, "midge.auth.password");
        assertEquals(EffectiveConfig.REDACTED, password.value());
        assertTrue(password.redacted());
        assertTrue(password.source().contains("test"), password.source());
        ConfigEntry keyFile = EffectiveConfig.entry(config, "midge.tls.key-file");
        assertEquals("/etc/midge/tls.key", keyFile.value());
        assertFalse(keyFile.redacted());
    }

    @Test
    void mappingKeysComeWithTheirDefaults() {
        assertEquals("1048576", ConfigKeys.defaults().get("midge.max-packet-size"));
        assertEquals("true", ConfigKeys.defaults().get("midge.topic-alias.outbound"));
        assertEquals("10s", ConfigKeys.defaults().get("midge.sys-interval"));
        assertTrue(ConfigKeys.defaults().containsKey("midge.max-keepalive"));
        assertEquals(null, ConfigKeys.defaults().get("midge.max-keepalive"));
    }

    @Test
    void openApiDescribesTheApi() {
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/config/{key}"))
                .body(containsString("/api/v1/clients/{id}"))
                .body(startsWith("---"));
    }
}
