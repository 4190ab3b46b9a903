package dev.midge.limits;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

/**
 * The publish meters of connected clients, by client id, for the admin API. A meter is read only on its
 * connection's loop, so a description is a task run there; a connection adds its meter when its client
 * connects and takes it away when it closes (touched once per connection, never per message).
 */
public final class LiveMeters {

    private final ConcurrentHashMap<String, Live> byClient = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    LiveMeters(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** @return what {@link #remove} takes, so a connection never removes its successor's meter */
    public Object add(String clientId, PublishMeter meter, Executor loop) {
        Live live = new Live(meter, loop);
        byClient.put(clientId, live);
        return live;
    }

    public void remove(String clientId, Object added) {
        byClient.remove(clientId, added);
    }

    /** The client's limit state, read on its loop; null when it has no limit or is not connected. */
    public CompletionStage<LimitState> describe(String clientId) {
        Live live = byClient.get(clientId);
        if (live == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<LimitState> state = new CompletableFuture<>();
        try {
            live.loop().execute(() -> state.complete(live.meter().state(nanoClock.getAsLong())));
        } catch (RejectedExecutionException stopping) {
            // Its loop is shutting down, and the connection with it.
            state.complete(null);
        }
        return state;
    }

    private record Live(PublishMeter meter, Executor loop) {
    }
}
