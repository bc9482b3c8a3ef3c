package dev.bristle.web.boards;

import dev.bristle.leaderboard.Dataset;
import dev.bristle.leaderboard.EntryService;
import dev.bristle.leaderboard.EntryView;
import dev.bristle.web.common.ApiError;
import dev.bristle.web.common.Lookups;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The JSON twin of the entry page. */
@Path("/api/entries")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Entries", description = "Everything known about one method on one data set")
public class EntryApiResource {

    @Inject
    EntryService entries;

    @GET
    @Path("/{dataset}/{method}")
    @Operation(summary = "A method's rows on every board, its logs, and its metrics recomputed from the logs")
    @APIResponse(responseCode = "200", description = "The entry",
            content = @Content(schema = @Schema(implementation = EntryView.class)))
    @APIResponse(responseCode = "404", description = "Unknown data set or method",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public EntryView entry(
            @Parameter(description = "Data set", schema = @Schema(ref = "DatasetSlug"))
            @PathParam("dataset") Dataset dataset,
            @Parameter(description = "Distillation method, e.g. BACON (case-insensitive)")
            @PathParam("method") String method) {
        return Lookups.entry(entries, dataset, method);
    }
}
