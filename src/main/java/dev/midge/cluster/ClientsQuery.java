package dev.midge.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import dev.midge.session.ClientListing;
import dev.midge.session.SessionRegistry;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Asked of every node for the cluster-wide client list: its part of the list, or the one client's session if
 * it holds it. Runs on the engine's executor thread of the node asked, which may wait for the sessions' loops.
 */
final class ClientsQuery implements Callable<ClientListing.Part>, Serializable, HazelcastInstanceAware {

    private static final long serialVersionUID = 1L;
    /** The node's sessions in the engine's user context. */
    static final String SESSIONS = "midge.sessions";
    private static final ClientListing.Part NOTHING = new ClientListing.Part(0, List.of());

    /** The client's id when one session is asked for, else null. */
    private final String clientId;
    private final String search;
    private final int limit;
    private transient HazelcastInstance engine;

    private ClientsQuery(String clientId, String search, int limit) {
        this.clientId = clientId;
        this.search = search;
        this.limit = limit;
    }

    static ClientsQuery list(String search, int limit) {
        return new ClientsQuery(null, search, limit);
    }

    static ClientsQuery one(String clientId) {
        return new ClientsQuery(clientId, "", 1);
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.engine = hazelcastInstance;
    }

    @Override
    public ClientListing.Part call() throws Exception {
        if (!(engine.getUserContext().get(SESSIONS) instanceof SessionRegistry sessions)) {
            return NOTHING;
        }
        return (clientId == null ? ClientListing.page(sessions, search, 0, limit) : ClientListing.one(sessions, clientId))
                .get(ClientListing.DESCRIBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
