package dev.midge.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;
import dev.midge.persistence.RecordCodec;
import dev.midge.persistence.Recovered;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The cluster's copy of durable sessions and retained messages, in the engine's maps with
 * {@code midge.cluster.backups} backups each: a record per session ({@link SessionRecord}), an entry per queued
 * or in-flight message and its progress ({@link PartKey}, in the session's partition), an entry per retained
 * topic. Writes return at once; the futures complete when the owner and its backups hold the change.
 */
final class SessionReplica {

    static final String SESSIONS = "midge.sessions";
    static final String MESSAGES = "midge.session-messages";
    static final String RETAINED = "midge.retained";
    private static final Logger LOG = Logger.getLogger(SessionReplica.class);
    private static final int QUERY_ATTEMPTS = 5;

    private final IMap<String, byte[]> sessions;
    private final IMap<PartKey, byte[]> messages;
    private final IMap<String, byte[]> retained;

    SessionReplica(HazelcastInstance engine) {
        this.sessions = engine.getMap(SESSIONS);
        this.messages = engine.getMap(MESSAGES);
        this.retained = engine.getMap(RETAINED);
    }

    CompletableFuture<?> update(String clientId, SessionUpdate update) {
        return sessions.submitToKey(clientId, update).toCompletableFuture();
    }

    CompletableFuture<?> removeSession(String clientId) {
        return sessions.deleteAsync(clientId).toCompletableFuture();
    }

    CompletableFuture<?> putMessage(String clientId, long id, byte[] outboundRecord) {
        return messages.setAsync(new PartKey(clientId, id, PartKey.MESSAGE), outboundRecord).toCompletableFuture();
    }

    CompletableFuture<?> progress(String clientId, long id, long progress) {
        byte[] value = ByteBuffer.allocate(Long.BYTES).putLong(progress).array();
        return messages.setAsync(new PartKey(clientId, id, PartKey.PROGRESS), value).toCompletableFuture();
    }

    /** Deletes a queued or in-flight message, and its progress entry when it has one. */
    CompletableFuture<?> removeMessage(String clientId, long id, boolean withProgress) {
        CompletableFuture<?> message = messages.deleteAsync(new PartKey(clientId, id, PartKey.MESSAGE))
                .toCompletableFuture();
        return !withProgress ? message : CompletableFuture.allOf(message,
                messages.deleteAsync(new PartKey(clientId, id, PartKey.PROGRESS)).toCompletableFuture());
    }

    CompletableFuture<?> putRetained(Message message) {
        return retained.setAsync(message.topic(), RecordCodec.message(message)).toCompletableFuture();
    }

    CompletableFuture<?> removeRetained(String topic) {
        return retained.deleteAsync(topic).toCompletableFuture();
    }

    boolean isEmpty() {
        return sessions.isEmpty() && retained.isEmpty();
    }

    /** Every retained message the cluster holds, expired ones left out. Blocking. */
    List<Message> retained() {
        long now = System.currentTimeMillis();
        List<Message> all = new ArrayList<>();
        queried("the retained messages", retained::values).forEach(record -> {
            Message m = RecordCodec.message(record);
            if (!m.isExpired(now)) {
                all.add(m);
            }
        });
        return all;
    }

    /** Whether the cluster holds a durable session for the client id. Blocking. */
    boolean holds(String clientId) {
        return sessions.containsKey(clientId);
    }

    /**
     * The client's session as the cluster holds it, with its messages in the order they were queued; null when
     * it holds none (message entries left without a session are deleted then). Blocking.
     */
    Recovered.StoredSession load(String clientId) {
        byte[] data = sessions.get(clientId);
        Set<Map.Entry<PartKey, byte[]>> parts = queried("client " + clientId + "'s messages", () -> messages.entrySet(
                Predicates.partitionPredicate(clientId, new ClientParts(clientId))));
        if (data == null) {
            parts.forEach(part -> messages.delete(part.getKey()));
            return null;
        }
        SessionRecord record = SessionRecord.decode(data);
        Map<String, SubscriptionOptions> subscriptions = new HashMap<>();
        record.subscriptions.forEach((filter, options) -> subscriptions.put(filter, RecordCodec.subscription(options)));
        Recovered.StoredWill will = null;
        if (record.will != null) {
            RecordCodec.Will w = RecordCodec.will(record.will);
            will = new Recovered.StoredWill(w.message(), w.publishAt());
        }
        return new Recovered.StoredSession(clientId, record.expiryInterval, record.disconnectedAt, subscriptions,
                outbound(parts), Set.copyOf(record.awaitingRelease), will);
    }

    private List<Recovered.StoredOutbound> outbound(Set<Map.Entry<PartKey, byte[]>> parts) {
        long now = System.currentTimeMillis();
        Map<Long, byte[]> records = new TreeMap<>();
        Map<Long, Long> progress = new HashMap<>();
        for (Map.Entry<PartKey, byte[]> part : parts) {
            if (part.getKey().kind() == PartKey.MESSAGE) {
                records.put(part.getKey().id(), part.getValue());
            } else {
                progress.put(part.getKey().id(), ByteBuffer.wrap(part.getValue()).getLong());
            }
        }
        List<Recovered.StoredOutbound> outbound = new ArrayList<>();
        records.forEach((id, bytes) -> {
            RecordCodec.Outbound o = RecordCodec.outbound(bytes);
            if (!o.message().isExpired(now)) {
                long state = progress.getOrDefault(id, 0L);
                outbound.add(new Recovered.StoredOutbound(id, o.message(), o.delivery(),
                        RecordCodec.progressPacketId(state), RecordCodec.progressReleased(state)));
            }
        });
        outbound.sort(Comparator.comparingLong(Recovered.StoredOutbound::id));
        return outbound;
    }

    /** Deletes the client's session and its messages from the cluster. Blocking. */
    void delete(String clientId) {
        if (sessions.remove(clientId) != null) {
            queried("client " + clientId + "'s messages",
                    () -> messages.keySet(Predicates.partitionPredicate(clientId, new ClientParts(clientId))))
                    .forEach(messages::delete);
        }
    }

    /**
     * Runs a query of the engine's maps, again after a pause when it fails: while partitions move (a node joined
     * or left a moment ago) the engine's query can fail where a retry succeeds. Blocking.
     */
    private static <T> T queried(String what, Supplier<T> query) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= QUERY_ATTEMPTS; attempt++) {
            try {
                return query.get();
            } catch (RuntimeException e) {
                last = e;
                LOG.debugf(e, "Reading %s from the cluster failed (attempt %d)", what, attempt);
                try {
                    TimeUnit.MILLISECONDS.sleep(200L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw last;
    }
}
