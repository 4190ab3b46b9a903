package dev.midge.session;

import dev.midge.message.SubscriptionOptions;
import dev.midge.message.TopicFilter;
import dev.midge.routing.Subscriber;
import dev.midge.routing.TopicTree;
import java.util.HashMap;
import java.util.Map;

/** A session's plain subscriptions taken over by what sends their messages on after it moved to another node. */
final class Forwarders {

    private Forwarders() {
    }

    /**
     * Subscribes the forwarder to each plain filter of the session, with the session's options, and hands it what
     * still reaches the session; shared groups are left to their members elsewhere. Returns the filters it took,
     * with their options.
     */
    static Map<String, SubscriptionOptions> subscribe(Subscriber forwarder, Map<String, SubscriptionOptions> of,
            TopicTree tree, Session session) {
        // What was matched to the session a moment ago and reaches it only now goes there too.
        session.moved();
        Map<String, SubscriptionOptions> taken = new HashMap<>();
        of.forEach((filter, options) -> {
            TopicFilter parsed = TopicFilter.of(filter);
            if (!parsed.isShared()) {
                tree.subscribe(parsed, forwarder, options);
                taken.put(filter, options);
            }
        });
        return taken;
    }
}
