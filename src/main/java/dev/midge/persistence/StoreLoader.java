package dev.midge.persistence;

import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Reads every record of a store just opened, dropping what expired and what no session owns any more. */
final class StoreLoader {

    private final StoreMaps maps;
    private final long now;
    private final Map<String, SessionParts> parts = new LinkedHashMap<>();
    private long lastOutboundId;

    private static final class SessionParts {
        final RecordCodec.Session session;
        final Map<String, SubscriptionOptions> subscriptions = new HashMap<>();
        final List<Recovered.StoredOutbound> outbound = new ArrayList<>();
        final Set<Integer> awaiting = new HashSet<>();
        Recovered.StoredWill will;

        SessionParts(RecordCodec.Session session) {
            this.session = session;
        }
    }

    StoreLoader(StoreMaps maps, long now) {
        this.maps = maps;
        this.now = now;
    }

    /** The records, as the broker puts them back. */
    Recovered load() {
        List<Message> retained = loadRetained();
        maps.sessions.forEach((clientId, record) -> parts.put(clientId, new SessionParts(RecordCodec.session(record))));
        loadSubscriptions();
        loadAwaitingRelease();
        loadWills();
        loadOutbound();
        List<Recovered.StoredSession> stored = new ArrayList<>();
        parts.forEach((clientId, p) -> stored.add(new Recovered.StoredSession(clientId, p.session.expiryInterval(),
                p.session.disconnectedAt(), p.subscriptions, p.outbound, p.awaiting, p.will)));
        return new Recovered(retained, stored);
    }

    /** The highest outbound id stored, after {@link #load()}. */
    long lastOutboundId() {
        return lastOutboundId;
    }

    private List<Message> loadRetained() {
        List<Message> messages = new ArrayList<>();
        for (Iterator<Map.Entry<String, byte[]>> it = maps.retained.entrySet().iterator(); it.hasNext();) {
            Message m = RecordCodec.message(it.next().getValue());
            if (m.isExpired(now)) {
                maps.retained.remove(m.topic());
            } else {
                messages.add(m);
            }
        }
        return messages;
    }

    /** Attaches one record to the session that owns it. */
    private interface Attach<V> {
        void to(SessionParts session, String key, V record);
    }

    /** Attaches each record to its session; records no session owns any more are removed. */
    private <V> void loadOwned(Map<String, V> records, Function<String, String> clientIdOfKey, Attach<V> attach) {
        List<String> orphans = new ArrayList<>();
        records.forEach((key, record) -> {
            SessionParts p = parts.get(clientIdOfKey.apply(key));
            if (p == null) {
                orphans.add(key);
            } else {
                attach.to(p, key, record);
            }
        });
        orphans.forEach(records::remove);
    }

    private void loadSubscriptions() {
        loadOwned(maps.subscriptions, StoreMaps::clientIdOf,
                (p, key, record) -> p.subscriptions.put(afterClientId(key), RecordCodec.subscription(record)));
    }

    private void loadAwaitingRelease() {
        loadOwned(maps.awaiting, StoreMaps::clientIdOf,
                (p, key, unused) -> p.awaiting.add(Integer.parseInt(afterClientId(key))));
    }

    private static String afterClientId(String key) {
        return key.substring(StoreMaps.prefix(StoreMaps.clientIdOf(key)).length());
    }

    private void loadWills() {
        loadOwned(maps.wills, clientId -> clientId, (p, clientId, record) -> {
            RecordCodec.Will w = RecordCodec.will(record);
            p.will = new Recovered.StoredWill(w.message(), w.publishAt());
        });
    }

    private void loadOutbound() {
        List<Long> dropped = new ArrayList<>();
        for (Map.Entry<Long, byte[]> e : maps.outbound.entrySet()) {
            lastOutboundId = Math.max(lastOutboundId, e.getKey());
            RecordCodec.Outbound o = RecordCodec.outbound(e.getValue());
            SessionParts p = parts.get(o.clientId());
            if (p == null || o.message().isExpired(now)) {
                dropped.add(e.getKey());
                continue;
            }
            long state = maps.progress.getOrDefault(e.getKey(), 0L);
            p.outbound.add(new Recovered.StoredOutbound(e.getKey(), o.message(), o.delivery(),
                    RecordCodec.progressPacketId(state), RecordCodec.progressReleased(state)));
        }
        dropped.forEach(maps::removeOutbound);
        for (Long id : new ArrayList<>(maps.progress.keySet())) {
            if (!maps.outbound.containsKey(id)) {
                maps.progress.remove(id);
            }
        }
    }
}
