package dev.midge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.midge.eventloop.EventLoops;
import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.routing.ClusterRouting;
import dev.midge.routing.RetainedStore;
import dev.midge.routing.Subscriber;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md: the message flow's packages depend only on those below them, the
 * packages beside the flow only on what they are drawn next to, no package cycles, Netty's MQTT codec only where
 * packets are read and written, Vert.x' internals only in {@link EventLoops}, and messages published only
 * through the router.
 */
class ArchitectureTest {

    private static final JavaClasses BROKER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.midge");

    @Test
    void packagesDependOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .ensureAllClassesAreContainedInArchitecture()
                .layer("Main").definedBy("dev.midge")
                .layer("Lifecycle").definedBy("dev.midge.lifecycle..")
                .layer("Management").definedBy("dev.midge.management..")
                .layer("Bridge").definedBy("dev.midge.bridge..")
                .layer("Transport").definedBy("dev.midge.transport..")
                .layer("Protocol").definedBy("dev.midge.protocol..")
                .layer("Cluster").definedBy("dev.midge.cluster..")
                .layer("Session").definedBy("dev.midge.session..")
                .layer("Delivery").definedBy("dev.midge.delivery..")
                .layer("Routing").definedBy("dev.midge.routing..")
                .layer("Persistence").definedBy("dev.midge.persistence..")
                .layer("Security").definedBy("dev.midge.security..")
                .layer("Logging").definedBy("dev.midge.logging..")
                .layer("Message").definedBy("dev.midge.message..")
                .layer("Stats").definedBy("dev.midge.stats..")
                .layer("Limits").definedBy("dev.midge.limits..")
                .layer("Config").definedBy("dev.midge.config..")
                .layer("EventLoops").definedBy("dev.midge.eventloop..")
                .whereLayer("Main").mayOnlyAccessLayers("Lifecycle", "Persistence", "Security", "Config")
                .whereLayer("Management").mayOnlyAccessLayers("Cluster", "Transport", "Session", "Routing",
                        "Persistence",
                        "Bridge", "Security", "Message", "Stats", "Limits", "Config", "EventLoops")
                .whereLayer("Bridge").mayOnlyAccessLayers("Delivery", "Routing", "Persistence", "Security",
                        "Message", "Stats", "Config", "EventLoops")
                .whereLayer("Transport").mayOnlyAccessLayers("Protocol", "Session", "Routing", "Persistence",
                        "Security", "Message", "Stats", "Limits", "Config", "EventLoops")
                .whereLayer("Cluster").mayOnlyAccessLayers("Session", "Routing", "Persistence", "Message", "Stats",
                        "Config", "EventLoops")
                .whereLayer("Protocol").mayOnlyAccessLayers("Session", "Routing", "Persistence", "Security",
                        "Message", "Stats", "Limits", "Config")
                .whereLayer("Session").mayOnlyAccessLayers("Delivery", "Routing", "Persistence", "Security",
                        "Message", "Stats", "Limits", "Config")
                .whereLayer("Delivery").mayOnlyAccessLayers("Message")
                .whereLayer("Routing").mayOnlyAccessLayers("Persistence", "Message", "Stats", "Config")
                .whereLayer("Persistence").mayOnlyAccessLayers("Message", "Config")
                .whereLayer("Security").mayOnlyAccessLayers("Message", "Config")
                .whereLayer("Logging").mayOnlyAccessLayers("Config")
                .whereLayer("Message").mayNotAccessAnyLayer()
                .whereLayer("Stats").mayNotAccessAnyLayer()
                .whereLayer("Limits").mayOnlyAccessLayers("Config")
                .whereLayer("Config").mayNotAccessAnyLayer()
                .whereLayer("EventLoops").mayNotAccessAnyLayer()
                .check(BROKER);
    }

    @Test
    void noCyclesBetweenPackages() {
        slices().matching("dev.midge.(*)..").should().beFreeOfCycles().check(BROKER);
    }

    @Test
    void onlyTransportProtocolAndBridgesSpeakMqttPackets() {
        noClasses().that().resideOutsideOfPackages("dev.midge.transport..", "dev.midge.protocol..",
                        "dev.midge.bridge..")
                .should().dependOnClassesThat().resideInAPackage("io.netty.handler.codec.mqtt..")
                .check(BROKER);
    }

    @Test
    void onlyEventLoopsReachesIntoVertx() {
        noClasses().that().doNotBelongToAnyOf(EventLoops.class)
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx.core.impl..", "io.vertx.core.internal..",
                        "io.vertx.core.net.impl..")
                .orShould().callMethod(Vertx.class, "nettyEventLoopGroup")
                .check(BROKER);
    }

    /**
     * Router is the one entry for "publish this message": only routing stores retained messages, hands a
     * message to a subscriber, or forwards it to the cluster's other nodes.
     */
    @Test
    void onlyTheRouterPublishes() {
        noClasses().that().resideOutsideOfPackage("dev.midge.routing..")
                .should().callMethod(RetainedStore.class, "put", Message.class)
                .orShould().callMethod(RetainedStore.class, "restore", Message.class)
                .orShould().callMethod(Subscriber.class, "deliver", Message.class, Delivery.class)
                .orShould().callMethod(ClusterRouting.class, "forward", Message.class)
                .check(BROKER);
    }
}
