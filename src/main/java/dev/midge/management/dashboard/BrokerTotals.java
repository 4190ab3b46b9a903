package dev.midge.management.dashboard;

import dev.midge.management.EventLoopLiveness;
import dev.midge.routing.Router;
import dev.midge.session.SessionRegistry;
import dev.midge.stats.BrokerStats;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.health.Liveness;

/** The broker's sizes and counters read at one moment: what the overview page shows beside its charts. */
@ApplicationScoped
public class BrokerTotals {

    /**
     * The answer of {@code /api/v1/dashboard/overview}.
     *
     * @param dropped messages not delivered since start, by reason
     * @param limits refusals and closes for a configured limit since start, by limit
     */
    @RegisterForReflection
    public record Overview(long connections, long sessions, long subscriptions, long retained,
            long messagesReceived, long messagesSent, long bytesReceived, long bytesSent,
            Map<String, Long> dropped, Map<String, Long> limits, EventLoopLiveness.Health eventLoops) {
    }

    private final BrokerStats stats;
    private final SessionRegistry sessions;
    private final Router router;
    private final EventLoopLiveness loops;

    public BrokerTotals(BrokerStats stats, SessionRegistry sessions, Router router, @Liveness EventLoopLiveness loops) {
        this.stats = stats;
        this.sessions = sessions;
        this.router = router;
        this.loops = loops;
    }

    public Overview now() {
        return new Overview(stats.clientsConnected(), sessions.size(), router.subscriptions().size(),
                router.retained().size(), stats.messagesReceived(), stats.messagesSent(), stats.bytesReceived(),
                stats.bytesSent(), dropped(), limits(), loops.check());
    }

    Map<String, Long> dropped() {
        Map<String, Long> dropped = new LinkedHashMap<>();
        dropped.put("queue_full", stats.droppedQueueFull());
        dropped.put("not_writable", stats.droppedNotWritable());
        dropped.put("qos0_offline", stats.droppedQos0Offline());
        dropped.put("expired", stats.droppedExpired());
        dropped.put("too_large", stats.droppedTooLarge());
        return dropped;
    }

    Map<String, Long> limits() {
        Map<String, Long> limits = new LinkedHashMap<>();
        limits.put("connections_refused", stats.connectionsRefused());
        limits.put("subscriptions_refused", stats.subscriptionsRefused());
        limits.put("logins_throttled", stats.loginsThrottled());
        limits.put("packet_read_timeouts", stats.packetReadTimeouts());
        limits.put("slow_subscribers_disconnected", stats.slowSubscribersDisconnected());
        return limits;
    }

    static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
