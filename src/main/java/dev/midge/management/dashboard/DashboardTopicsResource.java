package dev.midge.management.dashboard;

import dev.midge.management.ApiError;
import dev.midge.message.Message;
import dev.midge.message.TopicFilter;
import dev.midge.routing.Router;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The topics page: retained messages matching a filter, and the filters subscribed to, each with counts. */
@Path(DashboardAccessFilter.PATH + "/topics")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dashboard")
public class DashboardTopicsResource {

    static final int MAX_LIMIT = 5000;
    static final int PREVIEW_CHARS = 200;

    /**
     * One retained message.
     *
     * @param preview the payload as text, cut at {@value #PREVIEW_CHARS} characters; null when it is not UTF-8
     */
    @RegisterForReflection
    public record Retained(String topic, int qos, int bytes, String preview) {
    }

    /** @param total every retained message the broker holds; {@code messages} those matched, up to the limit */
    @RegisterForReflection
    public record RetainedPage(int total, List<Retained> messages) {
    }

    @RegisterForReflection
    public record Filter(String filter, int subscribers) {
    }

    /** @param total every subscription the broker holds, each shared-group membership once */
    @RegisterForReflection
    public record FilterPage(int total, List<Filter> filters) {
    }

    private final Router router;

    public DashboardTopicsResource(Router router) {
        this.router = router;
    }

    @GET
    @Path("/retained")
    @Operation(summary = "Retained messages whose topic ?filter= matches (default #), up to ?limit=")
    public Response retained(@QueryParam("filter") @DefaultValue("#") String filter,
            @QueryParam("limit") @DefaultValue("1000") int limit) {
        TopicFilter parsed = TopicFilter.parseOrNull(filter, Integer.MAX_VALUE);
        if (parsed == null || parsed.isShared()) {
            return ApiError.response(Response.Status.BAD_REQUEST, "filter must be a valid topic filter");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            return ApiError.response(Response.Status.BAD_REQUEST, "limit must be from 1 to " + MAX_LIMIT);
        }
        List<Retained> messages = router.retained().matching(parsed, limit).stream()
                .map(m -> new Retained(m.topic(), m.qos(), m.payload().length, preview(m)))
                .toList();
        return Response.ok(new RetainedPage(router.retained().size(), messages)).build();
    }

    @GET
    @Path("/subscriptions")
    @Operation(summary = "The filters subscribed to with their subscriber counts, ordered, up to ?limit=")
    public Response subscriptions(@QueryParam("limit") @DefaultValue("1000") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            return ApiError.response(Response.Status.BAD_REQUEST, "limit must be from 1 to " + MAX_LIMIT);
        }
        List<Filter> filters = router.subscriptions().filters(limit).entrySet().stream()
                .map(e -> new Filter(e.getKey(), e.getValue()))
                .toList();
        return Response.ok(new FilterPage(router.subscriptions().size(), filters)).build();
    }

    private static String preview(Message message) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(message.payload())).toString();
            return text.length() > PREVIEW_CHARS ? text.substring(0, PREVIEW_CHARS) : text;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
