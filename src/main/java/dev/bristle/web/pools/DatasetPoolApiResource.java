package dev.bristle.web.pools;

import dev.bristle.datasetpool.DatasetPoolService;
import dev.bristle.datasetpool.DatasetView;
import dev.bristle.datasetpool.UploadForm;
import dev.bristle.datasetpool.UploadOutcome;
import dev.bristle.datasetpool.UploadRejected;
import dev.bristle.web.common.ApiError;
import dev.bristle.web.common.ApiProblems;
import dev.bristle.web.common.Lookups;
import dev.bristle.web.common.UploadParts;
import dev.bristle.web.common.Viewer;
import jakarta.inject.Inject;
import jakarta.annotation.security.RolesAllowed;
import dev.bristle.accounts.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.jboss.resteasy.reactive.RestPath;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.net.URI;
import java.util.List;

/** The JSON twins of the dataset-pool pages, and uploads for scripts. */
@Path("/api/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Dataset pool", description = "Distilled sets, stored by content")
public class DatasetPoolApiResource {

    /** The answer to an upload that was accepted: {@code created} false when the same content was already pooled. */
    public record UploadAnswer(boolean created, String message, DatasetView dataset) {
    }

    @Inject
    DatasetPoolService pool;

    @Inject
    Viewer viewer;

    @POST
    @Path("/{id}/hide")
    @RolesAllowed(Role.MAINTAINER_NAME)
    @Operation(summary = "Hide a set from the pool's lists and from new jobs (maintainers)")
    public DatasetView hide(@RestPath long id) {
        return pool.hide(id, viewer.name()).orElseThrow(() -> Lookups.noDataset(id));
    }

    @GET
    @Operation(summary = "Every distilled set of the pool")
    public List<DatasetView> list() {
        return pool.list();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One distilled set")
    @APIResponse(responseCode = "404", description = "No such set",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public DatasetView detail(@RestPath long id) {
        return Lookups.dataset(pool, id);
    }

    @POST
    @RolesAllowed(Role.SUBMITTER_NAME)
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload a distilled set (multipart: file, method, paperUrl, authors, dataset, ipc,"
            + " normalization)")
    @APIResponse(responseCode = "201", description = "Stored",
            content = @Content(schema = @Schema(implementation = UploadAnswer.class)))
    @APIResponse(responseCode = "200", description = "The same content is already in the pool",
            content = @Content(schema = @Schema(implementation = UploadAnswer.class)))
    @APIResponse(responseCode = "400", description = "Refused; nothing stored",
            content = @Content(schema = @Schema(implementation = ApiProblems.class)))
    public Response upload(@RestForm("file") List<FileUpload> files, @RestForm String method,
                           @RestForm String paperUrl, @RestForm String authors, @RestForm String dataset,
                           @RestForm String ipc, @RestForm String normalization) {
        UploadForm form = new UploadForm(method, paperUrl, authors, dataset, ipc, normalization);
        try {
            UploadOutcome outcome = pool.upload(form, UploadParts.files(files), viewer.actor());
            UploadAnswer answer = new UploadAnswer(outcome.created(), outcome.message(), outcome.dataset());
            return outcome.created()
                    ? Response.created(URI.create("/api" + outcome.dataset().url())).entity(answer).build()
                    : Response.ok(answer).build();
        } catch (UploadRejected e) {
            return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiProblems(400, "The upload was refused; nothing was stored.", e.problems())).build();
        }
    }
}
