package dev.midge.management;

import dev.midge.cluster.ClusterClients;
import dev.midge.cluster.ClusterNode;
import dev.midge.session.ClientListing;
import dev.midge.session.SessionInfo;
import dev.midge.session.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The clients the admin API and the dashboard list: this broker's sessions, or with clustering on every node's,
 * each named with the node that holds it. In a cluster each node is asked for its first sessions up to the end of
 * the page asked for, and the answers are merged in client id order.
 */
@ApplicationScoped
public class ClientDirectory {

    /** The node name of every session on a broker that is not clustered. */
    public static final String LOCAL_NODE = "local";

    /** One listed client: its session, named with its node, and the user its last connection logged in with. */
    public record Row(String user, SessionInfo session) {
    }

    /** A page of rows, how many sessions matched in all, and the nodes that did not answer. */
    public record Found(int total, List<Row> rows, List<String> unanswered) {
    }

    private final SessionRegistry sessions;
    private final ClusterNode cluster;

    public ClientDirectory(SessionRegistry sessions, ClusterNode cluster) {
        this.sessions = sessions;
        this.cluster = cluster;
    }

    /** The {@code page}th page of {@code size} sessions whose client id or user contains {@code search}. */
    public CompletableFuture<Found> page(String search, int page, int size) {
        long skip = (long) page * size;
        ClusterClients clients = cluster.clients();
        if (clients == null) {
            return ClientListing.page(sessions, search, skip, size).thenApply(part -> new Found(part.total(),
                    part.first().stream().map(ClientDirectory::local).toList(), List.of()));
        }
        int limit = (int) Math.min(Integer.MAX_VALUE, skip + size);
        return clients.list(search, limit).thenApply(parts -> merge(parts, skip, size));
    }

    /** The session of that client, on whichever node holds it. */
    public CompletableFuture<Optional<Row>> one(String clientId) {
        ClusterClients clients = cluster.clients();
        if (clients == null) {
            return ClientListing.one(sessions, clientId)
                    .thenApply(part -> part.first().stream().findFirst().map(ClientDirectory::local));
        }
        return clients.find(clientId).thenApply(parts -> merge(parts, 0, 1).rows().stream().findFirst());
    }

    private static Row local(ClientListing.Entry entry) {
        return new Row(entry.user(), entry.session().onNode(LOCAL_NODE));
    }

    /** The nodes' parts as one list in client id order, from the {@code skip}th row, {@code size} rows. */
    static Found merge(List<ClusterClients.NodePart> parts, long skip, int size) {
        List<Row> all = new ArrayList<>();
        int total = 0;
        List<String> unanswered = new ArrayList<>();
        for (ClusterClients.NodePart part : parts) {
            if (part.failed()) {
                unanswered.add(part.node());
            }
            total += part.part().total();
            part.part().first().forEach(e -> all.add(new Row(e.user(), e.session().onNode(part.node()))));
        }
        all.sort(Comparator.comparing((Row row) -> row.session().clientId()).thenComparing(row -> row.session().node()));
        unanswered.sort(Comparator.naturalOrder());
        int from = (int) Math.min(skip, all.size());
        return new Found(total, List.copyOf(all.subList(from, Math.min(all.size(), from + size))), unanswered);
    }
}
