package dev.midge.management;

import dev.midge.message.Message;
import dev.midge.message.MessageProperties;
import dev.midge.message.TopicName;
import dev.midge.routing.Router;
import dev.midge.session.SessionRegistry;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The admin API's write operations, guarded by {@link AdminAccessFilter}: off unless
 * {@code midge.admin.enabled=true}, and then only with the credentials of {@link AdminCredentials}.
 */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class AdminResource {

    private final SessionRegistry sessions;
    private final Router router;
    private final DrainState drain;

    public AdminResource(SessionRegistry sessions, Router router, DrainState drain) {
        this.sessions = sessions;
        this.router = router;
        this.drain = drain;
    }

    @POST
    @Path("/clients/{id}/disconnect")
    @Operation(summary = "Closes a client's connection (MQTT 5: DISCONNECT 0x98); its session lives on as after "
            + "any close, and its will is published. 202, 404 without session, 409 when not connected")
    public Response disconnect(@PathParam("id") String id) {
        return sessions.find(id)
                .map(session -> {
                    if (!session.isOnline()) {
                        return ApiError.response(Response.Status.CONFLICT, "client " + id + " is not connected");
                    }
                    session.disconnect();
                    return Response.accepted().build();
                })
                .orElseGet(() -> ApiError.response(Response.Status.NOT_FOUND, "no session for client id " + id));
    }

    @POST
    @Path("/publish")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Publishes a message as the broker; 202, or 400 for a bad topic or QoS")
    public Response publish(PublishRequest request) {
        TopicName topic = request == null ? null : TopicName.parseOrNull(request.topic(), Integer.MAX_VALUE);
        if (topic == null) {
            return ApiError.response(Response.Status.BAD_REQUEST, "topic must be a valid topic name");
        }
        int qos = request.qos() == null ? 0 : request.qos();
        if (qos < 0 || qos > 2) {
            return ApiError.response(Response.Status.BAD_REQUEST, "qos must be 0, 1 or 2");
        }
        byte[] payload = request.payload() == null ? new byte[0]
                : request.payload().getBytes(StandardCharsets.UTF_8);
        router.publish(new Message(topic, payload, qos, Boolean.TRUE.equals(request.retain()), MessageProperties.NONE,
                null, 0));
        return Response.accepted().build();
    }

    @DELETE
    @Path("/retained")
    @Operation(summary = "Deletes the retained message of a topic (?topic=a/b) without publishing anything; 204")
    public Response deleteRetained(@QueryParam("topic") String topic) {
        TopicName name = TopicName.parseOrNull(topic, Integer.MAX_VALUE);
        if (name == null) {
            return ApiError.response(Response.Status.BAD_REQUEST, "topic must be a valid topic name");
        }
        router.clearRetained(name);
        return Response.noContent().build();
    }

    @POST
    @Path("/drain")
    @Operation(summary = "Starts draining: readiness reports DOWN, connected clients stay; 204")
    public Response startDrain() {
        drain.begin();
        return Response.noContent().build();
    }

    @DELETE
    @Path("/drain")
    @Operation(summary = "Stops draining: readiness reports UP again; 204")
    public Response stopDrain() {
        drain.end();
        return Response.noContent().build();
    }
}
