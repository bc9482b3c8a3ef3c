package dev.bristle.web;

import dev.bristle.scoring.JobService;
import dev.bristle.scoring.JobSettings;
import dev.bristle.scoring.JobView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import dev.bristle.accounts.Actor;
import jakarta.annotation.security.RolesAllowed;
import dev.bristle.accounts.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.ResponseHeader;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import dev.bristle.text.Excerpts;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Set;

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

    static final String NOT_QUEUED = "The job was not queued; nothing was changed.";

    @Inject
    JobService jobs;

    @Inject
    Validator validator;

    @Inject
    Viewer viewer;

    @GET
    public TemplateInstance list() {
        return Templates.list(jobs.list());
    }

    @GET
    @Path("/{id}")
    @ResponseHeader(name = "Vary", value = Htmx.REQUEST_HEADER)
    public TemplateInstance detail(@RestPath long id, @HeaderParam(Htmx.REQUEST_HEADER) String htmx,
                                   @HeaderParam(Htmx.HISTORY_RESTORE_HEADER) String historyRestore) {
        JobView job = find(jobs, id);
        return Htmx.wantsFragment(htmx, historyRestore) ? Templates.detail$progress(job) : Templates.detail(job);
    }

    @POST
    @RolesAllowed(Role.SUBMITTER_NAME)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String datasetId, @RestForm String epochs, @RestForm String students,
                           @RestForm String testLimit, @RestForm String seed, @RestForm String attacks,
                           @RestForm String modes, @RestForm String protocol, @RestForm String budgetGrid) {
        JobRequest request = new JobRequest(number(datasetId, "datasetId"), integer(epochs, "epochs"),
                integer(students, "students"), integer(testLimit, "testLimit"), number(seed, "seed"), list(attacks),
                list(modes), protocol == null || protocol.isBlank() ? null : protocol.trim(),
                budgetGrid != null && !budgetGrid.isBlank());
        Set<ConstraintViolation<JobRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) throw new WebError(400, NOT_QUEUED, Violations.problems(violations));
        JobView job = enqueue(jobs, request, viewer.actor());
        return Response.seeOther(URI.create(job.url())).build();
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed(Role.SUBMITTER_NAME)
    public Response cancel(@RestPath long id) {
        JobView job = cancel(jobs, id, viewer.actor());
        return Response.seeOther(URI.create(job.url())).build();
    }

    /**
     * What a client asks for; a missing setting takes BEARD's value ({@link JobSettings#beard()}). The bounds here
     * keep a request's size and numbers sane; {@link JobSettings#problems()} then checks the names against what exists.
     */
    public record JobRequest(
            @NotNull(message = "must name the set of the dataset pool to score") Long datasetId,
            @Min(value = 1, message = EPOCHS) @Max(value = JobSettings.MAX_EPOCHS, message = EPOCHS) Integer epochs,
            @Min(value = 1, message = STUDENTS) @Max(value = JobSettings.MAX_STUDENTS, message = STUDENTS)
            Integer students,
            @Min(value = 1, message = "must be positive") Integer testLimit,
            @Min(value = 0, message = "must be 0 or more") Long seed,
            @Size(max = MAX_NAMES, message = "may list at most {max} attacks")
            List<@NotBlank(message = "must be an attack's name") @Size(max = MAX_NAME, message = NAME) String> attacks,
            @Size(max = 2, message = "may list at most {max} modes")
            List<@NotBlank(message = "must be a mode") @Size(max = MAX_NAME, message = NAME) String> modes,
            @Size(max = MAX_NAME, message = NAME) String protocol,
            Boolean budgetGrid) {

        private static final String EPOCHS = "must be 1 to " + JobSettings.MAX_EPOCHS;
        private static final String STUDENTS = "must be 1 to " + JobSettings.MAX_STUDENTS;
        private static final int MAX_NAMES = 32;
        private static final int MAX_NAME = 32;
        private static final String NAME = "must be a name of at most 32 characters";

        JobSettings settings() {
            JobSettings beard = JobSettings.beard();
            return new JobSettings(epochs == null ? beard.epochs() : epochs,
                    students == null ? beard.students() : students,
                    testLimit == null ? beard.testLimit() : testLimit,
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

    /** Queues a request that passed Bean Validation, once its names are known ones and its set exists. */
    static JobView enqueue(JobService jobs, JobRequest request, Actor actor) {
        JobSettings settings = request.settings();
        if (!settings.problems().isEmpty()) throw new WebError(400, NOT_QUEUED, settings.problems());
        try {
            return jobs.enqueue(request.datasetId(), settings, actor);
        } catch (IllegalArgumentException e) {
            throw new WebError(400, NOT_QUEUED, List.of(e.getMessage()));
        }
    }

    static JobView find(JobService jobs, long id) {
        return jobs.find(id).orElseThrow(() -> notFound(id));
    }

    static JobView cancel(JobService jobs, long id, Actor actor) {
        return jobs.cancel(id, actor).orElseThrow(() -> notFound(id));
    }

    private static Long number(String text, String field) {
        if (text == null || text.isBlank()) return null;
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new WebError(400, NOT_QUEUED, List.of(field + " should be a whole number, not '"
                    + Excerpts.of(text) + "'"));
        }
    }

    private static Integer integer(String text, String field) {
        Long value = number(text, field);
        if (value == null) return null;
        if (value != value.intValue()) {
            throw new WebError(400, NOT_QUEUED, List.of(field + " is out of range: " + Excerpts.of(text)));
        }
        return value.intValue();
    }

    private static WebError notFound(long id) {
        return WebError.notFound("There is no scoring job '" + id + "'.");
    }
}
