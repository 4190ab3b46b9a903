package dev.midge.management;

import dev.midge.cluster.ClusterNode;
import dev.midge.cluster.ClusterStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.ToDoubleFunction;

/** The {@code midge_cluster_*} meters, registered only when clustering is on; they read the node's counters. */
@ApplicationScoped
public class ClusterMeters {

    private final MeterRegistry registry;
    private final ClusterNode cluster;

    public ClusterMeters(MeterRegistry registry, ClusterNode cluster) {
        this.registry = registry;
        this.cluster = cluster;
    }

    public void register() {
        if (!cluster.enabled()) {
            return;
        }
        Gauge.builder("midge.cluster.members", cluster, ClusterNode::members)
                .description("Nodes in the cluster as this node sees it, itself included").register(registry);
        Gauge.builder("midge.cluster.routes", cluster, ClusterNode::remoteRoutes)
                .description("Routes of other nodes held here: one per node and filter").register(registry);
        Gauge.builder("midge.cluster.forward.queued", cluster, ClusterNode::queuedForwards)
                .description("Messages waiting to be forwarded to other nodes").register(registry);
        ClusterStats stats = cluster.stats();
        counter("midge.cluster.forwarded.messages", "Messages forwarded to other nodes, one per node",
                BaseUnits.MESSAGES, ClusterStats::forwardedMessages, stats);
        counter("midge.cluster.forwarded.bytes", "Bytes of batches forwarded to other nodes", BaseUnits.BYTES,
                ClusterStats::forwardedBytes, stats);
        counter("midge.cluster.forwarded.batches", "Sends to other nodes, each carrying up to 256 messages",
                null, ClusterStats::forwardedBatches, stats);
        counter("midge.cluster.received.messages", "Messages received from other nodes", BaseUnits.MESSAGES,
                ClusterStats::receivedMessages, stats);
        counter("midge.cluster.received.bytes", "Bytes of batches received from other nodes", BaseUnits.BYTES,
                ClusterStats::receivedBytes, stats);
    }

    private void counter(String name, String description, String unit, ToDoubleFunction<ClusterStats> count,
            ClusterStats stats) {
        FunctionCounter.builder(name, stats, count).description(description).baseUnit(unit).register(registry);
    }
}
