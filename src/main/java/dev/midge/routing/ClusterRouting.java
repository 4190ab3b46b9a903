package dev.midge.routing;

import dev.midge.message.Message;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the router asks of a cluster: to learn that this node gained its first or lost its last subscriber to a
 * filter or member of a shared group, to say when that change is seen by every node, and to forward a published
 * message to the other nodes with a matching subscription or a group to serve. {@link #LOCAL} is a broker
 * alone, which forwards nothing.
 */
public interface ClusterRouting {

    CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    ClusterRouting LOCAL = new ClusterRouting() {
        @Override
        public void filterAdded(String filter) {
        }

        @Override
        public void filterRemoved(String filter) {
        }

        @Override
        public CompletionStage<Void> settled(String filter) {
            return DONE;
        }

        @Override
        public Subscriber forward(Message message, Collection<String> groupsServedHere) {
            return null;
        }
    };

    /**
     * This node's first plain subscription to the filter, or first member of the shared group named by its
     * {@code $share/g/f} text. Called under the subscription tree's lock: cheap.
     */
    void filterAdded(String filter);

    /** This node's last plain subscription to the filter, or last member of the group, is gone. Cheap, as above. */
    void filterRemoved(String filter);

    /** Completes once every change of the filter's route made so far is seen by every node. */
    CompletionStage<Void> settled(String filter);

    /** The message as this node publishes it into the cluster: named with a serial of its publication. */
    default Message stamped(Message message) {
        return message;
    }

    /**
     * Sends the message to each other node that has a matching subscription, once per node, and for each
     * matching shared group that this node did not serve, to one node with members of it, named with the
     * groups it is to serve there.
     *
     * @param groupsServedHere the groups, by their {@code $share/g/f} text, a member of this node got it from
     * @return a link to a node that is congested after taking the message (its publisher should pause), or null
     */
    Subscriber forward(Message message, Collection<String> groupsServedHere);
}
