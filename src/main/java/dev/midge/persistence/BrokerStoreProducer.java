package dev.midge.persistence;

import dev.midge.config.MidgeConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/** This node's store, as {@code midge.persistence.*} asks for; it is opened by the broker's start-up, not here. */
public class BrokerStoreProducer {

    @Produces
    @Singleton
    @LocalStore
    BrokerStore store(MidgeConfig config, MeterRegistry registry) {
        if (!config.persistence().enabled()) {
            return new DisabledStore();
        }
        Timer commits = Timer.builder("midge.persistence.commit")
                .description("Writes of a batch of changes to the store, including the fsync when one is made")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        return new MvBrokerStore(config.persistence(), nanos -> commits.record(nanos, TimeUnit.NANOSECONDS));
    }
}
