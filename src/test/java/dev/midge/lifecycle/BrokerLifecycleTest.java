package dev.midge.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The broker's start-up ran its steps in this order: recovery before anything that publishes (bridges,
 * integrations, {@code $SYS}), and those before the listeners let clients in.
 */
@QuarkusTest
class BrokerLifecycleTest {

    private static final List<String> ORDER = List.of("config", "pid-file", "file-watcher", "store", "cluster",
            "routing-state", "meters", "dashboard-sampler", "bridges", "integrations", "bridge-owners", "sys-topics",
            "listeners", "readiness");

    @Inject
    BrokerLifecycle lifecycle;

    @Test
    void ranEveryStepInOrder() {
        assertEquals(ORDER, lifecycle.steps());
        assertEquals(ORDER, lifecycle.running());
    }
}
