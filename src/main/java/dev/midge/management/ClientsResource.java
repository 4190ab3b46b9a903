package dev.midge.management;

import dev.midge.limits.Limits;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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

    private final ClientDirectory directory;
    private final Limits limits;

    public ClientsResource(ClientDirectory directory, Limits limits) {
        this.directory = directory;
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
        return directory.page("", pageNumber, pageSize)
                .thenApply(found -> Response.ok(new ClientPage(pageNumber, pageSize, found.total(),
                        found.rows().stream().map(ClientDirectory.Row::session).toList(), found.unanswered())).build())
                .exceptionally(e -> unavailable());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One client's session, and its publish limit's state while it is connected with one")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ClientView.class)))
    @APIResponse(responseCode = "404", description = "No session for that client id",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CompletionStage<Response> one(@PathParam("id") String id) {
        return directory.one(id)
                .thenCombine(limits.liveMeters().describe(id), (row, meter) -> row
                        .map(r -> Response.ok(new ClientView(r.session(), meter)).build())
                        .orElseGet(() -> ApiError.response(Response.Status.NOT_FOUND, "no session for client id " + id)))
                .exceptionally(e -> unavailable());
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
