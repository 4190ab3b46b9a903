package dev.midge.cluster;

import dev.midge.config.MidgeConfig;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys under which the cluster owns bridges and integrations, one name space each. Apart from
 * {@link BridgeOwners}, which uses the engine's classes: readiness and the dashboard name these keys on a single
 * broker too, where no engine class is loaded.
 */
public final class BridgeKeys {

    private BridgeKeys() {
    }

    public static String bridge(String name) {
        return "bridge:" + name;
    }

    public static String integration(String name) {
        return "integration:" + name;
    }

    /** The keys of the bridges and integrations a configuration names. */
    static Set<String> configured(MidgeConfig config) {
        Set<String> keys = new TreeSet<>();
        config.bridges().keySet().forEach(name -> keys.add(bridge(name)));
        config.integrations().keySet().forEach(name -> keys.add(integration(name)));
        return keys;
    }
}
