package dev.midge.management;

import dev.midge.cluster.ClusterNode;
import dev.midge.config.MidgeConfig;
import dev.midge.message.Message;
import dev.midge.routing.Router;
import dev.midge.session.SessionRegistry;
import dev.midge.stats.BrokerStats;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Publishes broker statistics under {@code $SYS/broker/}, as Mosquitto does, as retained QoS 0 messages every
 * {@code midge.sys-interval} (0: never); not retained when {@code midge.retain-available} is false, as in
 * Mosquitto, which a reload changes from the next publication. Wildcard filters starting with {@code #} or
 * {@code +} do not match {@code $} topics, so only clients that ask for {@code $SYS} get them.
 */
@ApplicationScoped
public class SysTopicsPublisher {

    static final String PREFIX = "$SYS/broker/";

    private final Vertx vertx;
    private final MidgeConfig config;
    private final Router router;
    private final BrokerStats stats;
    private final SessionRegistry sessions;
    private final ClusterNode cluster;
    private long timer = -1;
    private boolean running;
    private volatile boolean retain;

    public SysTopicsPublisher(Vertx vertx, MidgeConfig config, Router router, BrokerStats stats,
            SessionRegistry sessions, ClusterNode cluster) {
        this.vertx = vertx;
        this.cluster = cluster;
        this.config = config;
        this.router = router;
        this.stats = stats;
        this.sessions = sessions;
        this.retain = config.retainAvailable();
    }

    public synchronized void start() {
        running = true;
        schedule(config.sysInterval());
    }

    public synchronized void stop() {
        running = false;
        cancel();
    }

    /** From a reload: publishes every {@code interval} from now on, or never for 0. */
    public synchronized void interval(Duration interval) {
        cancel();
        if (running) {
            schedule(interval);
        }
    }

    /** From a reload: whether publications from the next one on are retained. */
    public void retainAvailable(boolean available) {
        retain = available;
    }

    private void schedule(Duration interval) {
        if (interval.isZero()) {
            return;
        }
        String version = "midge version "
                + ConfigProvider.getConfig().getOptionalValue("quarkus.application.version", String.class)
                        .orElse("unknown");
        publish("version", version);
        publishStatistics();
        timer = vertx.setPeriodic(interval.toMillis(), id -> publishStatistics());
    }

    private void cancel() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private void publishStatistics() {
        long connected = stats.clientsConnected();
        long total = sessions.size();
        publish("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000 + " seconds");
        publish("clients/connected", connected);
        publish("clients/disconnected", Math.max(0, total - connected));
        publish("clients/total", total);
        publish("messages/received", stats.messagesReceived());
        publish("messages/sent", stats.messagesSent());
        publish("bytes/received", stats.bytesReceived());
        publish("bytes/sent", stats.bytesSent());
        publish("subscriptions/count", router.subscriptions().size());
        publish("retained messages/count", router.retained().size());
        if (cluster.enabled()) {
            publish("cluster/members", cluster.members());
            publish("cluster/routes", cluster.remoteRoutes());
            publish("cluster/messages/forwarded", cluster.stats().forwardedMessages());
            publish("cluster/messages/received", cluster.stats().receivedMessages());
            publish("cluster/bytes/forwarded", cluster.stats().forwardedBytes());
            publish("cluster/bytes/received", cluster.stats().receivedBytes());
        }
    }

    private void publish(String topic, long value) {
        publish(topic, Long.toString(value));
    }

    private void publish(String topic, String value) {
        router.publish(new Message(PREFIX + topic, value.getBytes(StandardCharsets.UTF_8), 0, retain));
    }
}
