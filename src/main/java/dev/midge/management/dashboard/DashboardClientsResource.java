package dev.midge.management.dashboard;

import dev.midge.management.ApiError;
import dev.midge.management.ClientDirectory;
import dev.midge.management.ClientsResource;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The clients page's list: sessions whose client id or user contains the search text, a page at a time. */
@Path(DashboardAccessFilter.PATH + "/clients")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dashboard")
public class DashboardClientsResource {

    private final ClientDirectory directory;

    public DashboardClientsResource(ClientDirectory directory) {
        this.directory = directory;
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
        return directory.page(search, pageNumber, pageSize)
                .thenApply(found -> Response.ok(new ClientRow.Page(pageNumber, pageSize, found.total(),
                        found.rows().stream().map(row -> new ClientRow(row.session().clientId(), row.user(),
                                row.session().node(), row.session())).toList())).build())
                .exceptionally(e -> ClientsResource.unavailable());
    }
}
