package dev.midge.management;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The dashboard turned off. */
public class DashboardDisabledProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("midge.dashboard.enabled", "false");
    }
}
