package dev.midge.cluster;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.TopicFilter;
import dev.midge.routing.Router;
import dev.midge.routing.Subscriber;
import java.util.Set;

/**
 * On the node a session left, what stands for it, with its plain subscriptions, for {@link #LIFETIME_SECONDS}
 * after it moved: a message they match goes on to the node the session went to, named as that client's. Other
 * nodes keep sending messages here until they have the new node's routes and their links have emptied; without
 * it those would reach the session nowhere. The new node drops a copy the session took already.
 */
final class MovedSession implements Subscriber {

    static final long LIFETIME_SECONDS = 30;

    private final String clientId;
    private final PeerLink to;
    private volatile Set<String> filters = Set.of();

    MovedSession(String clientId, PeerLink to) {
        this.clientId = clientId;
        this.to = to;
    }

    /** The client's own id, so that No Local leaves out what the client published itself, as for the session. */
    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public void deliver(Message message, Delivery delivery) {
        // When that node has left too, its routes lead to its heir, which adopts the session with the others.
        if (to.isOnline()) {
            to.sendFor(message, Targets.client(clientId));
        }
    }

    /** The filters it took over from the session. */
    void took(Set<String> taken) {
        filters = Set.copyOf(taken);
    }

    /** Its time is up, or the session came back: it unsubscribes. */
    void leave(Router router) {
        filters.forEach(filter -> router.subscriptions().unsubscribe(TopicFilter.of(filter), this));
    }

    @Override
    public boolean isOnline() {
        return true;
    }

    @Override
    public boolean isCongested() {
        return to.isCongested();
    }

    @Override
    public void whenDecongested(Runnable callback) {
        to.whenDecongested(callback);
    }
}
