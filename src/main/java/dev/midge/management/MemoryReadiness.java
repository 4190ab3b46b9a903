package dev.midge.management;

import dev.midge.config.MemoryMarks;
import dev.midge.limits.Limits;
import dev.midge.limits.MemoryWatermark;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * What sessions hold against {@code midge.limits.memory-high}. Always up: above the mark, publishers wait and
 * subscribers are served, so the broker is still the one to send clients to; the state is there to be seen.
 */
@Readiness
@ApplicationScoped
public class MemoryReadiness implements HealthCheck {

    private final MemoryWatermark memory;

    public MemoryReadiness(Limits limits) {
        this.memory = limits.memory();
    }

    @Override
    public HealthCheckResponse call() {
        MemoryMarks marks = memory.marks();
        return HealthCheckResponse.named("memory")
                .up()
                .withData("state", memory.isHigh() ? "high" : marks.isOn() ? "normal" : "off")
                .withData("heldBytes", memory.heldBytes())
                .withData("highBytes", marks.high())
                .withData("lowBytes", marks.low())
                .build();
    }
}
