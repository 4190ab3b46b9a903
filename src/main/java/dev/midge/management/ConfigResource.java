package dev.midge.management;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The effective {@code midge.*} configuration, read-only. */
@Path("/api/v1/config")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "config")
public class ConfigResource {

    private final EffectiveConfig config;

    public ConfigResource(EffectiveConfig config) {
        this.config = config;
    }

    @GET
    @Operation(summary = "Every midge.* property with its effective value and source; secrets redacted")
    public List<ConfigEntry> all() {
        return config.all();
    }

    @GET
    @Path("/{key}")
    @Operation(summary = "One midge.* property, e.g. midge.max-packet-size")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ConfigEntry.class)))
    @APIResponse(responseCode = "404", description = "No such property",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response one(@PathParam("key") String key) {
        return config.find(key)
                .map(entry -> Response.ok(entry).build())
                .orElseGet(() -> ApiError.response(Response.Status.NOT_FOUND,
                        "no configuration property " + key));
    }
}
