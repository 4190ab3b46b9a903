package dev.midge.management.dashboard;

import dev.midge.cluster.ClusterNode;
import dev.midge.management.ApiError;
import dev.midge.management.ClientsResource;
import dev.midge.session.Session;
import dev.midge.session.SessionRegistry;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The clients page's list: sessions whose client id or user contains the search text, a page at a time. */
@Path(DashboardAccessFilter.PATH + "/clients")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dashboard")
public class DashboardClientsResource {

    /** The node column on a broker that is not clustered. */
    static final String LOCAL_NODE = "local";

    private final SessionRegistry sessions;
    private final ClusterNode cluster;

    public DashboardClientsResource(SessionRegistry sessions, ClusterNode cluster) {
        this.sessions = sessions;
        this.cluster = cluster;
    }

    @GET
    @Operation(summary = "Sessions whose client id or user contains ?search= (any case), ordered by client id, "
            + "with user and node; 400 for bad paging parameters")
    public CompletionStage<Response> list(@QueryParam("search") @DefaultValue("") String search,
            @QueryParam("page") @DefaultValue("0") String page, @QueryParam("size") @DefaultValue("50") String size) {
        int pageNumber = ClientsResource.parse(page);
        int pageSize = ClientsResource.parse(size);
        if (pageNumber < 0 || pageSize < 1 || pageSize > ClientsResource.MAX_PAGE_SIZE) {
            return CompletableFuture.completedFuture(ApiError.response(Response.Status.BAD_REQUEST,
                    "page must be a whole number from 0 and size one from 1 to " + ClientsResource.MAX_PAGE_SIZE));
        }
        String needle = search.strip().toLowerCase(Locale.ROOT);
        List<Session> matching = sessions.snapshot().stream()
                .filter(s -> contains(s.clientId(), needle) || contains(s.username(), needle))
                .sorted(Comparator.comparing(Session::clientId))
                .toList();
        long from = (long) pageNumber * pageSize;
        List<Session> slice = from >= matching.size() ? List.of()
                : matching.subList((int) from, (int) Math.min(matching.size(), from + pageSize));
        Map<String, Session> byId = slice.stream().collect(Collectors.toMap(Session::clientId, Function.identity()));
        String node = cluster.enabled() ? cluster.nodeId() : LOCAL_NODE;
        return ClientsResource.describeAll(slice)
                .thenApply(infos -> Response.ok(new ClientRow.Page(pageNumber, pageSize, matching.size(),
                        infos.stream().map(info -> new ClientRow(info.clientId(),
                                byId.get(info.clientId()).username(), node, info)).toList())).build())
                .exceptionally(e -> ClientsResource.unavailable());
    }

    private static boolean contains(String value, String needle) {
        return needle.isEmpty() || value != null && value.toLowerCase(Locale.ROOT).contains(needle);
    }
}
