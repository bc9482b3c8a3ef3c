package dev.bristle.web.jobs;

import dev.bristle.accounts.Role;
import dev.bristle.distilling.DistillationJobService;
import dev.bristle.distilling.DistillationJobView;
import dev.bristle.web.common.ApiError;
import dev.bristle.web.common.ApiProblems;
import dev.bristle.web.common.Lookups;
import dev.bristle.web.common.Viewer;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

import java.net.URI;
import java.util.List;

/** The JSON twins of the distillation pages: queue a distillation, follow it, cancel it. */
@Path("/api/distillations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Distillation jobs", description = "Distil a dataset's training images into a set of the dataset pool")
public class DistillationApiResource {

    @Inject
    DistillationJobService jobs;

    @Inject
    Viewer viewer;

    @GET
    @Operation(summary = "Every distillation job, newest first")
    public List<DistillationJobView> list() {
        return jobs.list();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One distillation job: state, progress, the pooled set it made")
    @APIResponse(responseCode = "404", description = "No such job",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public DistillationJobView detail(@RestPath long id) {
        return Lookups.distillation(jobs, id);
    }

    @POST
    @RolesAllowed(Role.SUBMITTER_NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Queue a distillation: method (random, herding, dm), dataset, ipc, seed; iterations,"
            + " learningRate and realPerClass left out take the method's defaults. The set enters the dataset pool"
            + " with its provenance, as ./bristle distill writes it")
    @APIResponse(responseCode = "201", description = "Queued",
            content = @Content(schema = @Schema(implementation = DistillationJobView.class)))
    @APIResponse(responseCode = "400", description = "Bad settings, each problem naming its field",
            content = @Content(schema = @Schema(implementation = ApiProblems.class)))
    public Response create(@Valid @NotNull(message = "must be a JSON object of settings")
                           DistillRequest request) {
        DistillationJobView job = DistillationDesk.enqueue(jobs, request, viewer.actor());
        return Response.created(URI.create("/api" + job.url())).entity(job).build();
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed(Role.SUBMITTER_NAME)
    @Operation(summary = "Cancel a distillation: queued or running, it ends at once (a running one's worker stops at"
            + " its next progress report). Its submitter or a maintainer")
    @APIResponse(responseCode = "403", description = "Not the submitter's job, nor a maintainer",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No such job",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public DistillationJobView cancel(@RestPath long id) {
        return DistillationDesk.cancel(jobs, id, viewer.actor());
    }
}
