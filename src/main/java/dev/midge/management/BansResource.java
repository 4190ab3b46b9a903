package dev.midge.management;

import dev.midge.limits.FlappingTracker;
import dev.midge.limits.Limits;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Client ids banned by {@code midge.limits.flapping}. Reading the list is open as the other reads are; lifting
 * a ban is a write, guarded by {@link AdminAccessFilter} as the admin operations are.
 */
@Path("/api/v1/bans")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "bans")
public class BansResource {

    private final Limits limits;

    public BansResource(Limits limits) {
        this.limits = limits;
    }

    @GET
    @Operation(summary = "Client ids refused for flapping (CONNACK 0x8A), with when each ban ends; empty while "
            + "midge.limits.flapping.enabled is off")
    public List<BanInfo> list() {
        FlappingTracker flapping = limits.flapping();
        if (flapping == null) {
            return List.of();
        }
        Instant now = Instant.now();
        return flapping.bans().stream()
                .map(ban -> new BanInfo(ban.clientId(), "flapping", now.plus(ban.remaining())))
                .toList();
    }

    @DELETE
    @Path("/{clientId}")
    @Operation(summary = "Lifts a client id's ban and forgets its connections; 204, or 404 when it is not banned")
    public Response lift(@PathParam("clientId") String clientId) {
        FlappingTracker flapping = limits.flapping();
        if (flapping == null || !flapping.lift(clientId)) {
            return ApiError.response(Response.Status.NOT_FOUND, "client id " + clientId + " is not banned");
        }
        return Response.noContent().build();
    }
}
