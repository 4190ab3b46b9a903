package dev.midge.management;

import dev.midge.limits.Limits;
import dev.midge.session.Session;
import dev.midge.session.SessionInfo;
import dev.midge.session.SessionRegistry;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Read-only view of the clients' sessions. Each session is described on its own event loop and the response
 * completes when all have answered, so no HTTP thread reads session state or waits.
 */
@Path("/api/v1/clients")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "clients")
public class ClientsResource {

    public static final int MAX_PAGE_SIZE = 1000;
    /** A session's loop that does not answer within this is wedged; the liveness probe will say so too. */
    private static final long DESCRIBE_TIMEOUT_SECONDS = 5;

    private final SessionRegistry sessions;
    private final Limits limits;

    public ClientsResource(SessionRegistry sessions, Limits limits) {
        this.sessions = sessions;
        this.limits = limits;
    }

    @GET
    @Operation(summary = "Clients with a session, online and offline, a page at a time, ordered by client id")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ClientPage.class)))
    @APIResponse(responseCode = "400", description = "Bad paging parameters",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    // Strings, so that a malformed number is a 400 with a reason and not JAX-RS' bare 404.
    public CompletionStage<Response> list(@QueryParam("page") @DefaultValue("0") String page,
            @QueryParam("size") @DefaultValue("100") String size) {
        int pageNumber = parse(page);
        int pageSize = parse(size);
        if (pageNumber < 0) {
            return badRequest("page must be a whole number from 0, not " + page);
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            return badRequest("size must be a whole number from 1 to " + MAX_PAGE_SIZE + ", not " + size);
        }
        List<Session> all = new ArrayList<>(sessions.snapshot());
        all.sort(Comparator.comparing(Session::clientId));
        long from = (long) pageNumber * pageSize;
        List<Session> slice = from >= all.size() ? List.of()
                : all.subList((int) from, (int) Math.min(all.size(), from + pageSize));
        return describeAll(slice)
                .thenApply(infos -> Response.ok(new ClientPage(pageNumber, pageSize, all.size(), infos)).build())
                .exceptionally(e -> unavailable());
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

    @GET
    @Path("/{id}")
    @Operation(summary = "One client's session, and its publish limit's state while it is connected with one")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ClientView.class)))
    @APIResponse(responseCode = "404", description = "No session for that client id",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CompletionStage<Response> one(@PathParam("id") String id) {
        return sessions.find(id)
                .map(session -> session.describe().toCompletableFuture()
                        .thenCombine(limits.liveMeters().describe(id), ClientView::new)
                        .orTimeout(DESCRIBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .thenApply(view -> Response.ok(view).build())
                        .exceptionally(e -> unavailable()))
                .orElseGet(() -> CompletableFuture.completedFuture(
                        ApiError.response(Response.Status.NOT_FOUND, "no session for client id " + id)));
    }

    /** The number, or -1 when it is not a whole number in int's range. */
    public static int parse(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static CompletionStage<Response> badRequest(String message) {
        return CompletableFuture.completedFuture(ApiError.response(Response.Status.BAD_REQUEST, message));
    }

    public static Response unavailable() {
        return ApiError.response(Response.Status.SERVICE_UNAVAILABLE, "a session did not answer in time");
    }
}
