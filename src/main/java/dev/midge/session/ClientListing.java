package dev.midge.session;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * This node's sessions as the client list shows them: those whose client id or user contains a text (any case),
 * in client id order, the first ones described. Each cluster node answers with its own part, and the node asked
 * merges the parts.
 */
public final class ClientListing {

    /** How long a session's loop has to describe it. */
    public static final long DESCRIBE_TIMEOUT_SECONDS = 5;

    /** One listed session, with the user its last connection logged in with (or null). */
    public record Entry(String user, SessionInfo session) implements Serializable {
    }

    /** Some of one node's matching sessions, and how many match on it in all. */
    public record Part(int total, List<Entry> first) implements Serializable {
    }

    private ClientListing() {
    }

    /**
     * This node's sessions that match {@code search} ("" matches all), from the {@code skip}th in client id
     * order, at most {@code limit} of them described, and how many match in all.
     */
    public static CompletableFuture<Part> page(SessionRegistry sessions, String search, long skip, int limit) {
        String needle = search.strip().toLowerCase(Locale.ROOT);
        List<Session> matching = sessions.snapshot().stream()
                .filter(s -> contains(s.clientId(), needle) || contains(s.username(), needle))
                .sorted(Comparator.comparing(Session::clientId))
                .toList();
        int from = (int) Math.min(skip, matching.size());
        return described(matching.subList(from, (int) Math.min(matching.size(), from + (long) limit)),
                matching.size());
    }

    /** The session of that client on this node, described, or an empty part when this node holds none. */
    public static CompletableFuture<Part> one(SessionRegistry sessions, String clientId) {
        return sessions.find(clientId).map(session -> described(List.of(session), 1))
                .orElseGet(() -> CompletableFuture.completedFuture(new Part(0, List.of())));
    }

    private static CompletableFuture<Part> described(List<Session> first, int total) {
        return describeAll(first).thenApply(infos -> {
            List<Entry> entries = new ArrayList<>(infos.size());
            // A session that ended meanwhile is left out of the descriptions: pair the rest up by client id.
            for (int i = 0, j = 0; i < first.size() && j < infos.size(); i++) {
                if (first.get(i).clientId().equals(infos.get(j).clientId())) {
                    entries.add(new Entry(first.get(i).username(), infos.get(j++)));
                }
            }
            return new Part(total, entries);
        });
    }

    /**
     * The sessions' snapshots in their order, each taken on its own loop; a session whose loop refuses work is
     * stopping and is left out. Fails when a loop does not answer in time.
     */
    public static CompletableFuture<List<SessionInfo>> describeAll(List<Session> slice) {
        List<CompletableFuture<SessionInfo>> infos = slice.stream()
                .map(s -> s.describe().toCompletableFuture().exceptionally(e -> null))
                .toList();
        return CompletableFuture.allOf(infos.toArray(CompletableFuture[]::new))
                .orTimeout(DESCRIBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .thenApply(done -> infos.stream().map(CompletableFuture::join).filter(Objects::nonNull).toList());
    }

    private static boolean contains(String value, String needle) {
        return needle.isEmpty() || value != null && value.toLowerCase(Locale.ROOT).contains(needle);
    }
}
