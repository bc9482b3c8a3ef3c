package dev.bristle.web.pools;

import dev.bristle.modelpool.ModelPoolService;
import dev.bristle.modelpool.ModelView;
import dev.bristle.web.common.ApiError;
import dev.bristle.web.common.Lookups;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.jboss.resteasy.reactive.RestPath;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** The JSON twins of the model-pool pages. */
@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Model pool", description = "Published checkpoints and students trained by Bristle")
public class ModelPoolApiResource {

    @Inject
    ModelPoolService pool;

    @GET
    @Operation(summary = "Every student of the model pool")
    public List<ModelView> list() {
        return pool.list();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One student of the model pool")
    @APIResponse(responseCode = "404", description = "No such student",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public ModelView detail(@RestPath long id) {
        return Lookups.model(pool, id);
    }
}
