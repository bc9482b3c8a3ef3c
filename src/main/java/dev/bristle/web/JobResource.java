package dev.bristle.web;

import dev.bristle.scoring.JobService;
import dev.bristle.scoring.JobSettings;
import dev.bristle.scoring.JobView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.ResponseHeader;
import org.jboss.resteasy.reactive.RestForm;

import java.net.URI;
import java.util.List;

/** Scoring jobs: the queue, one job's live progress (htmx polling) and its cancel button. */
@Path("/jobs")
@Produces(MediaType.TEXT_HTML)
public class JobResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<JobView> jobs);

        static native TemplateInstance detail(JobView job);

        static native TemplateInstance detail$progress(JobView job);
    }

    @Inject
    JobService jobs;

    @GET
    public TemplateInstance list() {
        return Templates.list(jobs.list());
    }

    @GET
    @Path("/{id}")
    @ResponseHeader(name = "Vary", value = Htmx.REQUEST_HEADER)
    public TemplateInstance detail(@PathParam("id") String id, @HeaderParam(Htmx.REQUEST_HEADER) String htmx,
                                   @HeaderParam(Htmx.HISTORY_RESTORE_HEADER) String historyRestore) {
        JobView job = find(jobs, id);
        return Htmx.wantsFragment(htmx, historyRestore) ? Templates.detail$progress(job) : Templates.detail(job);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String datasetId, @RestForm String modelId, @RestForm String epochs,
                           @RestForm String students, @RestForm String testLimit, @RestForm String seed,
                           @RestForm String attacks, @RestForm String modes, @RestForm String protocol,
                           @RestForm String budgetGrid) {
        JobView job = enqueue(jobs, new JobRequest(number(datasetId, "dataset"), number(modelId, "checkpoint"),
                number(epochs, "epochs"),
                number(students, "students"), number(testLimit, "test limit"), number(seed, "seed"), list(attacks),
                list(modes), protocol == null || protocol.isBlank() ? null : protocol.trim(),
                budgetGrid != null && !budgetGrid.isBlank()));
        return Response.seeOther(URI.create(job.url())).build();
    }

    @POST
    @Path("/{id}/cancel")
    public Response cancel(@PathParam("id") String id) {
        JobView job = cancel(jobs, id);
        return Response.seeOther(URI.create(job.url())).build();
    }

    /**
     * What a client asks for: students trained on a pooled set ({@code datasetId}), or a model-pool checkpoint
     * evaluated as it is ({@code modelId}: no training, one student). A missing setting takes BEARD's value
     * ({@link JobSettings#beard()}).
     */
    public record JobRequest(Long datasetId, Long modelId, Long epochs, Long students, Long testLimit, Long seed,
                             List<String> attacks, List<String> modes, String protocol, Boolean budgetGrid) {

        JobSettings settings() {
            JobSettings beard = JobSettings.beard();
            boolean checkpoint = modelId != null;
            return new JobSettings(epochs == null ? checkpoint ? 0 : beard.epochs() : Math.toIntExact(epochs),
                    students == null ? checkpoint ? 1 : beard.students() : Math.toIntExact(students),
                    testLimit == null ? beard.testLimit() : Integer.valueOf(Math.toIntExact(testLimit)),
                    seed == null ? beard.seed() : seed, attacks == null ? beard.attacks() : attacks,
                    modes == null ? beard.modes() : modes, protocol == null ? beard.protocol() : protocol,
                    budgetGrid);
        }
    }

    /** "FGSM, PGD" to its names; an empty field is an empty list (no attacks), a missing one null (the default). */
    private static List<String> list(String text) {
        if (text == null) return null;
        return java.util.Arrays.stream(text.split("[,\\s]+")).filter(t -> !t.isBlank()).toList();
    }

    static JobView enqueue(JobService jobs, JobRequest request) {
        if (request == null || (request.datasetId() == null) == (request.modelId() == null)) {
            throw WebError.badRequest("Say which set of the dataset pool to score (datasetId), or which checkpoint of"
                    + " the model pool to evaluate (modelId): one of the two.");
        }
        JobSettings settings;
        try {
            settings = request.settings();
        } catch (ArithmeticException e) {
            throw WebError.badRequest("A setting is out of range: " + request + ".");
        }
        List<String> problems = request.modelId() != null ? settings.checkpointProblems() : settings.problems();
        if (!problems.isEmpty()) {
            throw WebError.badRequest("The job was not queued: " + String.join("; ", problems) + ".");
        }
        try {
            return request.modelId() != null ? jobs.enqueueCheckpoint(request.modelId(), settings)
                    : jobs.enqueue(request.datasetId(), settings);
        } catch (IllegalArgumentException e) {
            throw WebError.badRequest("The job was not queued: " + e.getMessage() + ".");
        }
    }

    static JobView find(JobService jobs, String id) {
        return jobs.find(parseId(id)).orElseThrow(() -> notFound(id));
    }

    static JobView cancel(JobService jobs, String id) {
        return jobs.cancel(parseId(id)).orElseThrow(() -> notFound(id));
    }

    private static long parseId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw notFound(id);
        }
    }

    private static Long number(String text, String what) {
        if (text == null || text.isBlank()) return null;
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw WebError.badRequest("The " + what + " must be a whole number, not '" + text + "'.");
        }
    }

    private static WebError notFound(String id) {
        return WebError.notFound("There is no scoring job '" + id + "'.");
    }
}
