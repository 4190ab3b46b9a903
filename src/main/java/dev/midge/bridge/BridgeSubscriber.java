package dev.midge.bridge;

import dev.midge.message.SubscriptionOptions;
import dev.midge.routing.Router;
import dev.midge.routing.Subscriber;
import java.util.List;

/**
 * The local side of a bridge or integration: a subscriber to its {@code out} topics, with No Local under its own
 * id. Never congested: what waits for the far end is bounded, and the far end being away or slow must not stop
 * local publishers.
 */
interface BridgeSubscriber extends Subscriber {

    /** Its client id here, and the origin of every message it brings in, so that No Local keeps them from it. */
    static String localId(String name) {
        return "$bridge:" + name;
    }

    @Override
    default boolean isCongested() {
        return false;
    }

    @Override
    default void whenDecongested(Runnable callback) {
        callback.run();
    }

    /** Subscribes it to the local filters of the lines that carry messages out. */
    static void subscribeOut(Router router, List<BridgeTopic> lines, BridgeSubscriber subscriber) {
        for (BridgeTopic line : lines) {
            if (line.goesOut()) {
                router.subscriptions().subscribe(line.local(), subscriber,
                        new SubscriptionOptions(line.qos(), true, true, 2, 0));
            }
        }
    }

    static void unsubscribeOut(Router router, List<BridgeTopic> lines, BridgeSubscriber subscriber) {
        for (BridgeTopic line : lines) {
            if (line.goesOut()) {
                router.subscriptions().unsubscribe(line.local(), subscriber);
            }
        }
    }
}
