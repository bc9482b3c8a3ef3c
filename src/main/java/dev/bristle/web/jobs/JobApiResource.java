package dev.bristle.web.jobs;

import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.scoring.JobRecords;
import dev.bristle.scoring.CostEstimates;
import dev.bristle.scoring.JobEstimate;
import dev.bristle.scoring.JobService;
import dev.bristle.scoring.JobView;
import dev.bristle.web.common.ApiError;
import dev.bristle.web.common.ApiProblems;
import dev.bristle.web.common.Lookups;
import dev.bristle.web.common.Viewer;
import dev.bristle.web.common.WebError;
import jakarta.inject.Inject;
import jakarta.annotation.security.RolesAllowed;
import dev.bristle.accounts.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.jboss.resteasy.reactive.RestPath;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;

/** The JSON twins of the job pages: estimate a job, queue it, follow it, cancel it. */
@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Scoring jobs", description = "Train students on a pooled set and measure them")
public class JobApiResource {

    @Inject
    JobService jobs;

    @Inject
    CostEstimates estimates;

    @Inject
    Viewer viewer;

    @Inject
    JobRecords records;

    @GET
    @Operation(summary = "Every scoring job, newest first")
    public List<JobView> list() {
        return jobs.list();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One job: state, stage, progress, results")
    @APIResponse(responseCode = "404", description = "No such job",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public JobView detail(@RestPath long id) {
        return Lookups.job(jobs, id);
    }

    @GET
    @Path("/{id}/record")
    @Operation(summary = "The succeeded job's evaluation record to download (docs/record.md): the set or checkpoint,"
            + " settings with the protocol version, every student's seed, clean predictions and per-image result of"
            + " every attack and mode, metrics with intervals, curves, what differs from the official settings, and"
            + " provenance")
    @APIResponse(responseCode = "200", description = "The record",
            content = @Content(schema = @Schema(implementation = EvaluationRecord.class)))
    @APIResponse(responseCode = "404", description = "No such job",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "The job has not succeeded (yet): it has no record",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response record(@RestPath long id) {
        JobView job = Lookups.job(jobs, id);
        EvaluationRecord record = records.record(job).orElseThrow(() -> new WebError(409,
                "Job " + id + " has no evaluation record: only a succeeded job has one."));
        return Response.ok(record).header("Content-Disposition", "attachment; filename=\"bristle-job-" + job.id()
                + "-record.json\"").build();
    }

    @POST
    @RolesAllowed(Role.SUBMITTER_NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Queue a job: train students on a pooled set (datasetId) or evaluate a model-pool checkpoint"
            + " as it is (modelId); settings left out take BEARD's values (1000 epochs, 5 students, full test set;"
            + " a checkpoint: no training, one student)")
    @APIResponse(responseCode = "201", description = "Queued",
            content = @Content(schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "400", description = "Bad settings or unknown set, each problem naming its field",
            content = @Content(schema = @Schema(implementation = ApiProblems.class)))
    public Response create(@Valid @NotNull(message = "must be a JSON object of settings") JobRequest request) {
        JobView job = JobDesk.enqueue(jobs, request, viewer.actor());
        return Response.created(URI.create("/api" + job.url())).entity(job).build();
    }

    @POST
    @Path("/estimate")
    @RolesAllowed(Role.SUBMITTER_NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "What a job would cost, without queueing anything: the model passes of the settings asked"
            + " for (the same JSON as queueing) and of the protocol's official settings, and the hours each takes on"
            + " this installation's live workers at the pass rates they measured")
    @APIResponse(responseCode = "200", description = "The estimate",
            content = @Content(schema = @Schema(implementation = JobEstimate.class)))
    @APIResponse(responseCode = "400", description = "Settings or subject that queueing would refuse, for the same"
            + " reasons", content = @Content(schema = @Schema(implementation = ApiProblems.class)))
    public JobEstimate estimate(@Valid @NotNull(message = "must be a JSON object of settings") JobRequest request) {
        return JobDesk.estimate(estimates, request);
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed(Role.SUBMITTER_NAME)
    @Operation(summary = "Cancel a job: a queued job at once, a running one between batches")
    public JobView cancel(@RestPath long id) {
        return JobDesk.cancel(jobs, id, viewer.actor());
    }
}
