package dev.midge.management;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** $SYS topics every second and the admin API's write operations on. */
public class OperationsEnabledProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("midge.sys-interval", "1s", "midge.admin.enabled", "true");
    }
}
