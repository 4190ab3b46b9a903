package dev.midge.lifecycle;

import dev.midge.bridge.Bridges;
import dev.midge.bridge.Integrations;
import dev.midge.cluster.ClusterNode;
import dev.midge.config.ConfigValidator;
import dev.midge.config.MidgeConfig;
import dev.midge.lifecycle.StartupSequence.Step;
import dev.midge.logging.JsonLogging;
import dev.midge.management.BrokerMeters;
import dev.midge.management.ClusterMeters;
import dev.midge.management.DrainState;
import dev.midge.management.PersistenceReadiness;
import dev.midge.management.SysTopicsPublisher;
import dev.midge.management.dashboard.DashboardSampler;
import dev.midge.security.FileWatcher;
import dev.midge.transport.MqttListener;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.health.Readiness;

/**
 * The broker's start-up, as one sequence: configuration checked, store read, retained messages and sessions
 * restored, meters registered and the dashboard's sampler started, then whatever publishes on its own (bridges,
 * integrations, in a cluster only those this node owns, {@code $SYS}), then the listeners, and last readiness. Nothing publishes before recovery has finished, and no client connects
 * before the bridges are up. Shutdown undoes the same steps in reverse.
 */
@ApplicationScoped
public class BrokerLifecycle {

    private final JsonLogging logging;
    private final DrainState drain;
    private final StartupSequence sequence;

    public BrokerLifecycle(MidgeConfig config, JsonLogging logging, FileWatcher watcher, StoreRecovery store,
            @Readiness PersistenceReadiness persistence, BrokerMeters meters, Bridges bridges, Integrations integrations,
            SysTopicsPublisher sysTopics, MqttListener listener, DrainState drain, ClusterNode cluster,
            ClusterMeters clusterMeters, DashboardSampler dashboardSampler) {
        this.logging = logging;
        this.drain = drain;
        PidFile pidFile = new PidFile(config.pidFile());
        BridgeOwnership ownership = new BridgeOwnership(cluster, bridges, integrations);
        this.sequence = new StartupSequence(List.of(
                Step.of("config", () -> {
                    new ConfigValidator(ConfigProvider.getConfig()).validate(config);
                    MosquittoConfReport.log(ConfigProvider.getConfig());
                }),
                new Step("pid-file", pidFile::write, pidFile::remove),
                new Step("file-watcher", () -> { }, watcher::stop),
                new Step("store", store::open, store::close),
                new Step("cluster", cluster::start, cluster::stop),
                Step.of("routing-state", () -> persistence.recovered(store.restore())),
                Step.of("meters", () -> {
                    meters.register();
                    clusterMeters.register();
                }),
                new Step("dashboard-sampler", dashboardSampler::start, dashboardSampler::stop),
                new Step("bridges", bridges::start, bridges::stop),
                new Step("integrations", integrations::start, integrations::stop),
                new Step("bridge-owners", ownership::follow, ownership::stop),
                new Step("sys-topics", sysTopics::start, sysTopics::stop),
                new Step("listeners", listener::start, listener::stop),
                new Step("readiness", drain::started, drain::begin)));
    }

    // Before the libraries' own start-up (Reactive Messaging wires its connectors then), so that every line is
    // JSON when asked; the broker's sequence itself runs after them, as the integrations need those connectors.
    void installLogging(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        logging.install();
    }

    void start(@Observes StartupEvent event) {
        sequence.start();
    }

    void beginShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        drain.begin();
    }

    void stop(@Observes ShutdownEvent event) {
        sequence.stop();
    }

    /** The steps' names in the order they start. */
    public List<String> steps() {
        return sequence.names();
    }

    /** The steps that have started and are not undone, in order. */
    public List<String> running() {
        return sequence.running();
    }
}
