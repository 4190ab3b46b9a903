package dev.midge.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.midge.message.Message;
import dev.midge.persistence.RecordCodec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The wills of the clients connected to each node, kept in the engine while their connections last, so that
 * when a node dies one survivor publishes them. A node's own connections settle their wills themselves. Keys
 * are {@code node/serial/clientId}: each connection its own, so that a reconnect never loses the will of the
 * newer connection to the close of the older.
 */
final class KeptWills {

    static final String WILLS = "midge.wills";
    private static final Logger LOG = Logger.getLogger(KeptWills.class);

    /** A will of a connection on a node that left: its message, and its delay in milliseconds. */
    record Orphan(String clientId, Message message, long delayMillis) {
    }

    private final IMap<String, byte[]> wills;
    private final String nodeId;
    private final AtomicLong serials = new AtomicLong();

    KeptWills(HazelcastInstance engine, String nodeId) {
        this.wills = engine.getMap(WILLS);
        this.nodeId = nodeId;
    }

    /** Keeps a connection's will; returns the key to settle it with. Never blocks. */
    String keep(String clientId, Message will, long delaySeconds) {
        String key = nodeId + "/" + serials.incrementAndGet() + "/" + clientId;
        wills.setAsync(key, RecordCodec.will(will, delaySeconds * 1000)).whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.warnf(failure, "Keeping client %s's will in the cluster failed", clientId);
            }
        });
        return key;
    }

    /** The connection ended here, and this node published or holds its will. Never blocks. */
    void settle(String key) {
        wills.deleteAsync(key);
    }

    /** Takes the wills of a node that left, each once whichever node asks. Blocking. */
    List<Orphan> takeOf(String node) {
        String prefix = node + "/";
        Map<String, byte[]> taken = new HashMap<>();
        for (String key : wills.keySet()) {
            if (key.startsWith(prefix)) {
                byte[] record = wills.remove(key);
                if (record != null) {
                    taken.put(key, record);
                }
            }
        }
        return taken.entrySet().stream().map(e -> {
            String clientId = e.getKey().substring(e.getKey().indexOf('/', prefix.length()) + 1);
            // Encoded as the store encodes a will waiting out its delay, with the delay in place of the due time.
            RecordCodec.Will will = RecordCodec.will(e.getValue());
            return new Orphan(clientId, will.message(), will.publishAt());
        }).toList();
    }
}
