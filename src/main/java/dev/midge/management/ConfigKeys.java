package dev.midge.management;

import dev.midge.config.AdminConfig;
import dev.midge.config.AuthConfig;
import dev.midge.config.BridgeConfig;
import dev.midge.config.ClusterConfig;
import dev.midge.config.DashboardConfig;
import dev.midge.config.ExtraListenerConfig;
import dev.midge.config.HealthConfig;
import dev.midge.config.IntegrationConfig;
import dev.midge.config.ListenerAuthConfig;
import dev.midge.config.LimitsConfig;
import dev.midge.config.LogConfig;
import dev.midge.config.MidgeConfig;
import dev.midge.config.MqttConfig;
import dev.midge.config.PersistenceConfig;
import dev.midge.config.ServerCertificateConfig;
import dev.midge.config.TlsConfig;
import dev.midge.config.TopicAliasConfig;
import dev.midge.config.WebSocketConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every key of the {@link MidgeConfig} mapping with its default (null when it has none), read from the mapping
 * interface itself so a new setting shows up without being listed twice. That reads the interfaces' methods
 * and annotations by reflection, so the native build is told to keep them (a new nested group goes here too).
 */
@RegisterForReflection(targets = {MidgeConfig.class, MqttConfig.class, TopicAliasConfig.class,
        TlsConfig.class, ServerCertificateConfig.class, ExtraListenerConfig.class, WebSocketConfig.class,
        AuthConfig.class, ListenerAuthConfig.class,
        HealthConfig.class, PersistenceConfig.class, AdminConfig.class, DashboardConfig.class, LogConfig.class,
        BridgeConfig.class, IntegrationConfig.class, ClusterConfig.class, LimitsConfig.class,
        LimitsConfig.Rule.class, LimitsConfig.Flapping.class}, fields = false)
final class ConfigKeys {

    private static final Map<String, String> DEFAULTS = collect(MidgeConfig.class, "midge.", new TreeMap<>());

    private ConfigKeys() {
    }

    /** Key to default value, sorted by key; a key without a default maps to null. */
    static Map<String, String> defaults() {
        return Collections.unmodifiableMap(DEFAULTS);
    }

    private static Map<String, String> collect(Class<?> type, String prefix, Map<String, String> into) {
        // getMethods: a group's own methods and those it inherits, such as TlsConfig's certificate settings.
        for (Method method : type.getMethods()) {
            if (method.getParameterCount() > 0 || method.isDefault() || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            WithName rename = method.getAnnotation(WithName.class);
            String name = prefix + (rename != null ? rename.value() : kebab(method.getName()));
            Class<?> result = method.getReturnType();
            if (result.isInterface() && result.getPackage() == MidgeConfig.class.getPackage()) {
                collect(result, name + ".", into);
            } else {
                WithDefault value = method.getAnnotation(WithDefault.class);
                into.put(name, value == null ? null : value.value());
            }
        }
        return into;
    }

    /** SmallRye Config's default naming: {@code maxPacketSize} is {@code max-packet-size}. */
    private static String kebab(String camel) {
        StringBuilder name = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                name.append('-').append(Character.toLowerCase(c));
            } else {
                name.append(c);
            }
        }
        return name.toString();
    }
}
