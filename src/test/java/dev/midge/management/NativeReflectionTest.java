package dev.midge.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.midge.bridge.Integrations;
import dev.midge.config.MidgeConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.lang.reflect.Method;
import java.util.Arrays;
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

    private static void collect(Class<?> type, Set<String> into) {
        if (!into.add(type.getName())) {
            return;
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            if (nested.isInterface()) {
                collect(nested, into);
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            Class<?> result = method.getReturnType();
            if (result.isInterface() && result.getPackage() == MidgeConfig.class.getPackage()) {
                collect(result, into);
            }
        }
    }
}
