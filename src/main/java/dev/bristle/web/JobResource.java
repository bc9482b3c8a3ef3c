package dev.bristle.web;

import dev.bristle.datasetpool.DatasetPoolService;
import dev.bristle.datasetpool.DatasetView;
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
import java.util.ArrayList;
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

    @Inject
    DatasetPoolService datasets;

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

    /**
     * The "Score this set" form: a preset or custom settings. A refused form comes back on the set's page (400)
     * with each problem beside its field.
     */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String datasetId, @RestForm String preset, @RestForm String epochs,
                           @RestForm String students, @RestForm String testLimit, @RestForm String seed,
                           @RestForm List<String> attacks, @RestForm List<String> modes, @RestForm String protocol,
                           @RestForm String budgetGrid) {
        Long dataset = number(datasetId);
        if (dataset == null) throw WebError.badRequest("Say which set of the dataset pool to score (datasetId).");
        JobForm form = JobForm.submitted(preset, epochs, students, testLimit, seed, attacks, modes, protocol,
                budgetGrid);
        List<String> problems = new ArrayList<>();
        JobSettings settings = settings(form, problems);
        if (problems.isEmpty()) {
            try {
                return Response.seeOther(URI.create(jobs.enqueue(dataset, settings).url())).build();
            } catch (IllegalArgumentException e) {
                throw WebError.badRequest("The job was not queued: " + e.getMessage() + ".");
            }
        }
        DatasetView set = datasets.find(dataset)
                .orElseThrow(() -> WebError.badRequest("The dataset pool has no set #" + dataset + "."));
        return Response.status(400).type(MediaType.TEXT_HTML_TYPE).entity(DatasetPoolResource.Templates.detail(set,
                datasets.classPictures(set), jobs.forDataset(dataset), null, form, FormProblems.ofJob(problems))
                .render()).build();
    }

    /** The settings a form asks for; usable only when {@code problems} stays empty. */
    private static JobSettings settings(JobForm form, List<String> problems) {
        JobSettings settings = switch (form.preset()) {
            case JobForm.OFFICIAL -> JobSettings.beard();
            case JobForm.QUICK -> JobSettings.quickPreview();
            case JobForm.CUSTOM -> custom(form, problems);
            default -> {
                problems.add("Choose the official settings, the quick preview or custom settings.");
                yield null;
            }
        };
        if (settings != null) problems.addAll(settings.problems());
        return settings;
    }

    /** The custom fields' settings; a field that is no number adds a problem and reads as BEARD's value. */
    private static JobSettings custom(JobForm form, List<String> problems) {
        JobSettings beard = JobSettings.beard();
        Long epochs = whole(form.epochs(), "epochs", problems);
        Long students = whole(form.students(), "students", problems);
        Long testLimit = whole(form.testLimit(), "the test limit", problems);
        Long seed = whole(form.seed(), "the seed", problems);
        if (!form.attacks().isEmpty() && form.modes().isEmpty()) {
            problems.add("choose at least one attack mode: targeted, untargeted or both");
        }
        return new JobSettings(epochs == null ? beard.epochs() : clamp(epochs),
                students == null ? beard.students() : clamp(students), testLimit == null ? null : clamp(testLimit),
                seed == null ? beard.seed() : seed, form.attacks(), form.modes(),
                form.protocol() == null || form.protocol().isBlank() ? beard.protocol() : form.protocol().trim(),
                form.budgetGrid());
    }

    /** A number out of int's range stays out of every setting's range, so its check reports it. */
    private static int clamp(long value) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }

    /** A whole number, null when blank; a problem "{what} must be a whole number" otherwise. */
    private static Long whole(String text, String what, List<String> problems) {
        if (text == null || text.isBlank()) return null;
        Long value = number(text);
        if (value == null) problems.add(what + " must be a whole number");
        return value;
    }

    @POST
    @Path("/{id}/cancel")
    public Response cancel(@PathParam("id") String id) {
        JobView job = cancel(jobs, id);
        return Response.seeOther(URI.create(job.url())).build();
    }

    /** What a client asks for; a missing setting takes BEARD's value ({@link JobSettings#beard()}). */
    public record JobRequest(Long datasetId, Long epochs, Long students, Long testLimit, Long seed,
                             List<String> attacks, List<String> modes, String protocol, Boolean budgetGrid) {

        JobSettings settings() {
            JobSettings beard = JobSettings.beard();
            return new JobSettings(epochs == null ? beard.epochs() : Math.toIntExact(epochs),
                    students == null ? beard.students() : Math.toIntExact(students),
                    testLimit == null ? beard.testLimit() : Integer.valueOf(Math.toIntExact(testLimit)),
                    seed == null ? beard.seed() : seed, attacks == null ? beard.attacks() : attacks,
                    modes == null ? beard.modes() : modes, protocol == null ? beard.protocol() : protocol,
                    budgetGrid);
        }
    }

    static JobView enqueue(JobService jobs, JobRequest request) {
        if (request == null || request.datasetId() == null) {
            throw WebError.badRequest("Say which set of the dataset pool to score (datasetId).");
        }
        JobSettings settings;
        try {
            settings = request.settings();
        } catch (ArithmeticException e) {
            throw WebError.badRequest("A setting is out of range: " + request + ".");
        }
        if (!settings.problems().isEmpty()) {
            throw WebError.badRequest("The job was not queued: " + String.join("; ", settings.problems()) + ".");
        }
        try {
            return jobs.enqueue(request.datasetId(), settings);
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

    private static Long number(String text) {
        if (text == null || text.isBlank()) return null;
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static WebError notFound(String id) {
        return WebError.notFound("There is no scoring job '" + id + "'.");
    }
}
