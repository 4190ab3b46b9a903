package dev.midge.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.midge.bridge.Integrations;
import dev.midge.bridge.MqttConnectorSessions;
import dev.midge.config.MidgeConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.reactive.messaging.mqtt.Clients;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The native build keeps only the reflection it is told about. {@link ConfigKeys} reads every interface of the
 * configuration mapping by reflection (Quarkus itself registers only the generated implementations), so each
 * group interface must be among its registration targets, a group added later included.
 */
class NativeReflectionTest {

    @Test
    void everyConfigurationGroupIsRegisteredForTheNativeBuild() {
        RegisterForReflection registration = ConfigKeys.class.getAnnotation(RegisterForReflection.class);
        assertNotNull(registration, "ConfigKeys carries @RegisterForReflection");
        Set<String> registered = new TreeSet<>();
        Arrays.stream(registration.targets()).forEach(c -> registered.add(c.getName()));
        Set<String> groups = new TreeSet<>();
        collect(MidgeConfig.class, groups);
        assertEquals(groups, registered, "@RegisterForReflection(targets = ...) on ConfigKeys");
    }

    @Test
    void theKafkaSerializersAnIntegrationNamesAreRegisteredForTheNativeBuild() throws Exception {
        RegisterForReflection registration = Integrations.class.getAnnotation(RegisterForReflection.class);
        assertNotNull(registration, "Integrations carries @RegisterForReflection");
        Set<String> registered = new TreeSet<>();
        Arrays.stream(registration.targets()).forEach(c -> registered.add(c.getName()));
        Set<String> named = new TreeSet<>(Integrations.KAFKA_OUT.values());
        named.addAll(Integrations.KAFKA_IN.values());
        assertEquals(named, registered);
    }

    @Test
    void theMqttConnectorsSessionCacheIsRegisteredForTheNativeBuild() throws Exception {
        RegisterForReflection registration = MqttConnectorSessions.class.getAnnotation(RegisterForReflection.class);
        assertNotNull(registration, "MqttConnectorSessions carries @RegisterForReflection");
        assertEquals(List.of(Clients.class), List.of(registration.targets()));
        assertNotNull(Clients.class.getDeclaredField(MqttConnectorSessions.CACHE_FIELD));
    }

    /**
     * The interface, the interfaces it extends, and each group interface of the config package its methods
     * return, directly or in a Map.
     */
    private static void collect(Class<?> type, Set<String> into) {
        if (!into.add(type.getName())) {
            return;
        }
        for (Class<?> parent : type.getInterfaces()) {
            if (parent.getPackage() == MidgeConfig.class.getPackage()) {
                collect(parent, into);
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            for (Class<?> group : groupsIn(method.getGenericReturnType())) {
                collect(group, into);
            }
        }
    }

    private static Set<Class<?>> groupsIn(Type type) {
        Set<Class<?>> groups = new HashSet<>();
        if (type instanceof Class<?> c && c.isInterface() && c.getPackage() == MidgeConfig.class.getPackage()) {
            groups.add(c);
        } else if (type instanceof ParameterizedType p) {
            Arrays.stream(p.getActualTypeArguments()).forEach(argument -> groups.addAll(groupsIn(argument)));
        }
        return groups;
    }
}
