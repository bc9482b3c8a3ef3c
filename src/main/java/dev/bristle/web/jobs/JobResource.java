package dev.bristle.web.jobs;

import dev.bristle.datasetpool.DatasetPictures;
import dev.bristle.datasetpool.DatasetPoolService;
import dev.bristle.datasetpool.DatasetView;
import dev.bristle.leaderboard.LeaderboardService;
import dev.bristle.leaderboard.NavLink;
import dev.bristle.scoring.CostEstimates;
import dev.bristle.scoring.JobService;
import dev.bristle.scoring.JobSettings;
import dev.bristle.scoring.JobView;
import dev.bristle.web.common.FormProblems;
import dev.bristle.web.common.Htmx;
import dev.bristle.web.common.Lookups;
import dev.bristle.web.common.Viewer;
import dev.bristle.web.common.Violations;
import dev.bristle.web.common.WebError;
import dev.bristle.web.pools.DatasetPages;
import dev.bristle.web.pools.JobForm;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
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
import java.util.Set;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Scoring jobs: the queue, one job's live progress (htmx polling), its cancel button and a job's estimate. */
@Path("/jobs")
@Produces(MediaType.TEXT_HTML)
public class JobResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<JobView> jobs);

        static native TemplateInstance detail(JobView job, JobProgressView live, List<NavLink> entries);

        static native TemplateInstance detail$progress(JobView job, JobProgressView live, List<NavLink> entries);

        static native TemplateInstance estimate(JobEstimateView view, List<String> problems);
    }

    @Inject
    JobService jobs;

    @Inject
    Validator validator;

    @Inject
    CostEstimates estimates;

    @Inject
    Viewer viewer;

    @Inject
    DatasetPoolService datasets;

    @Inject
    DatasetPictures pictures;

    @Inject
    LeaderboardService leaderboards;

    @GET
    public TemplateInstance list() {
        return Templates.list(jobs.list());
    }

    @GET
    @Path("/{id}")
    @ResponseHeader(name = "Vary", value = Htmx.REQUEST_HEADER)
    public TemplateInstance detail(@RestPath long id, @HeaderParam(Htmx.REQUEST_HEADER) String htmx,
                                   @HeaderParam(Htmx.HISTORY_RESTORE_HEADER) String historyRestore) {
        JobView job = Lookups.job(jobs, id);
        JobProgressView live = JobProgressView.of(job, Instant.now());
        List<NavLink> entries = leaderboards.entriesOf(id);
        return Htmx.wantsFragment(htmx, historyRestore) ? Templates.detail$progress(job, live, entries)
                : Templates.detail(job, live, entries);
    }

    /**
     * The "Score this set" form: the official settings, the quick preview or custom settings. A refused form comes
     * back on the set's page (400) with each problem beside its field.
     */
    @POST
    @RolesAllowed(Role.SUBMITTER_NAME)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String datasetId, @RestForm String preset, @RestForm String epochs,
                           @RestForm String students, @RestForm String testLimit, @RestForm String seed,
                           @RestForm List<String> attacks, @RestForm List<String> modes, @RestForm String protocol,
                           @RestForm String budgetGrid, @RestForm String recipe) {
        Long dataset = number(datasetId, "datasetId");
        if (dataset == null) {
            throw new WebError(400, JobDesk.NOT_QUEUED, List.of("datasetId must name the set to score"));
        }
        JobForm form = JobForm.submitted(preset, epochs, students, testLimit, seed, attacks, modes, protocol,
                budgetGrid, recipe);
        List<String> problems = new ArrayList<>();
        JobRequest request = checked(dataset, form, problems);
        if (problems.isEmpty()) {
            return Response.seeOther(URI.create(JobDesk.enqueue(jobs, request, viewer.actor()).url())).build();
        }
        DatasetView set = datasets.find(dataset)
                .orElseThrow(() -> new WebError(400, JobDesk.NOT_QUEUED, List.of("there is no set #" + dataset)));
        return Response.status(400).type(MediaType.TEXT_HTML_TYPE).entity(DatasetPages.detail(set,
                pictures.classPictures(set), jobs.forDataset(dataset), null, form, FormProblems.ofJob(problems))
                .render()).build();
    }

    /**
     * The "Score this set" form's estimate, an htmx fragment the form asks for as its settings change: what the
     * chosen and the official settings cost on this installation, or, where the settings have problems, the problems
     * (a fragment shown beside the form, so 200; the JSON twin answers 400).
     */
    @POST
    @Path("/estimate")
    @RolesAllowed(Role.SUBMITTER_NAME)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance estimate(@RestForm String datasetId, @RestForm String preset, @RestForm String epochs,
                                     @RestForm String students, @RestForm String testLimit, @RestForm String seed,
                                     @RestForm List<String> attacks, @RestForm List<String> modes,
                                     @RestForm String protocol, @RestForm String budgetGrid, @RestForm String recipe) {
        Long dataset = number(datasetId, "datasetId");
        if (dataset == null) {
            throw new WebError(400, JobDesk.NOT_ESTIMATED, List.of("datasetId must name the set to score"));
        }
        List<String> problems = new ArrayList<>();
        JobRequest request = checked(dataset, JobForm.submitted(preset, epochs, students, testLimit, seed, attacks,
                modes, protocol, budgetGrid, recipe), problems);
        if (problems.isEmpty()) {
            try {
                return Templates.estimate(JobEstimateView.of(JobDesk.estimate(estimates, request)), List.of());
            } catch (WebError e) {
                problems.addAll(e.problems().isEmpty() ? List.of(e.getMessage()) : e.problems());
            }
        }
        return Templates.estimate(null, problems);
    }

    /** What a form asks for, its problems added (its fields' bounds and its settings' names); null without a preset. */
    private JobRequest checked(long dataset, JobForm form, List<String> problems) {
        JobRequest request = request(dataset, form, problems);
        if (request != null) {
            Set<ConstraintViolation<JobRequest>> violations = validator.validate(request);
            problems.addAll(Violations.problems(violations));
            if (violations.isEmpty() && problems.isEmpty()) problems.addAll(request.settings().problems());
        }
        return request;
    }

    /**
     * What a form asks for, a field that is no number left out (its problem added); null when no preset is
     * chosen.
     */
    private static JobRequest request(long dataset, JobForm form, List<String> problems) {
        switch (form.preset()) {
            case JobForm.OFFICIAL:
                return JobRequest.of(dataset, JobSettings.beard().withRecipe(form.recipe()));
            case JobForm.QUICK:
                return JobRequest.of(dataset, JobSettings.quickPreview().withRecipe(form.recipe()));
            case JobForm.CUSTOM:
                break;
            default:
                problems.add("Choose the official settings, the quick preview or custom settings.");
                return null;
        }
        Integer epochs = whole(form.epochs(), "epochs", problems);
        Integer students = whole(form.students(), "students", problems);
        Integer testLimit = whole(form.testLimit(), "testLimit", problems);
        Integer seed = whole(form.seed(), "seed", problems);
        if (!form.attacks().isEmpty() && form.modes().isEmpty()) {
            problems.add("modes: choose at least one, targeted, untargeted or both");
        }
        // Unticked boxes are an empty list (no attacks), not "left out" (BEARD's default).
        return new JobRequest(dataset, null, epochs, students, testLimit, seed == null ? null : seed.longValue(),
                form.attacks(), form.modes(), form.protocol() == null || form.protocol().isBlank() ? null
                : form.protocol().trim(), form.budgetGrid(), form.recipe());
    }

    /** A field's whole number, null when blank; a problem naming the field when it is no int. */
    private static Integer whole(String text, String field, List<String> problems) {
        try {
            return integer(text, field);
        } catch (WebError e) {
            problems.addAll(e.problems());
            return null;
        }
    }

    /** The "Evaluate this checkpoint" form of a model-pool page: no training, the checkpoint as it is. */
    @POST
    @Path("/checkpoint")
    @RolesAllowed(Role.SUBMITTER_NAME)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response evaluateCheckpoint(@RestForm String modelId, @RestForm String testLimit, @RestForm String seed,
                                       @RestForm List<String> attacks, @RestForm List<String> modes,
                                       @RestForm String protocol) {
        Long model = number(modelId, "modelId");
        if (model == null) throw new WebError(400, JobDesk.NOT_QUEUED, List.of("modelId must name the checkpoint"));
        JobRequest request = new JobRequest(null, model, null, null, integer(testLimit, "testLimit"),
                number(seed, "seed"), names(attacks), names(modes),
                protocol == null || protocol.isBlank() ? null : protocol.trim(), false, null);
        Set<ConstraintViolation<JobRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) throw new WebError(400, JobDesk.NOT_QUEUED, Violations.problems(violations));
        return Response.seeOther(URI.create(JobDesk.enqueue(jobs, request, viewer.actor()).url())).build();
    }

    /** Fields as names: "FGSM, PGD" in one field or one name per field. */
    private static List<String> names(List<String> fields) {
        return fields.stream().flatMap(f -> java.util.Arrays.stream(f.split("[,\\s]+"))).filter(n -> !n.isBlank())
                .toList();
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed(Role.SUBMITTER_NAME)
    public Response cancel(@RestPath long id) {
        JobView job = JobDesk.cancel(jobs, id, viewer.actor());
        return Response.seeOther(URI.create(job.url())).build();
    }

    private static Long number(String text, String field) {
        if (text == null || text.isBlank()) return null;
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new WebError(400, JobDesk.NOT_QUEUED, List.of(field + " should be a whole number, not '"
                    + Excerpts.of(text) + "'"));
        }
    }

    private static Integer integer(String text, String field) {
        Long value = number(text, field);
        if (value == null) return null;
        if (value != value.intValue()) {
            throw new WebError(400, JobDesk.NOT_QUEUED, List.of(field + " is out of range: " + Excerpts.of(text)));
        }
        return value.intValue();
    }
}
