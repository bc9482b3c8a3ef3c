package dev.bristle.web.jobs;

import dev.bristle.accounts.Role;
import dev.bristle.distilling.DistillationJobService;
import dev.bristle.distilling.DistillationJobView;
import dev.bristle.text.Excerpts;
import dev.bristle.web.common.Htmx;
import dev.bristle.web.common.Lookups;
import dev.bristle.web.common.Viewer;
import dev.bristle.web.common.WebError;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
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

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Distillation jobs: the form that queues one, the list, one job's live progress (htmx polling) and its cancel
 * button.
 */
@Path("/distillations")
@Produces(MediaType.TEXT_HTML)
public class DistillationResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<DistillationJobView> jobs, DistillRequest form, List<String> problems);

        static native TemplateInstance detail(DistillationJobView job);

        static native TemplateInstance detail$progress(DistillationJobView job);
    }

    @Inject
    DistillationJobService jobs;

    @Inject
    Viewer viewer;

    @GET
    public TemplateInstance list() {
        return Templates.list(jobs.list(), DistillRequest.initial(), List.of());
    }

    @GET
    @Path("/{id}")
    @ResponseHeader(name = "Vary", value = Htmx.REQUEST_HEADER)
    public TemplateInstance detail(@RestPath long id, @HeaderParam(Htmx.REQUEST_HEADER) String htmx,
                                   @HeaderParam(Htmx.HISTORY_RESTORE_HEADER) String historyRestore) {
        DistillationJobView job = Lookups.distillation(jobs, id);
        return Htmx.wantsFragment(htmx, historyRestore) ? Templates.detail$progress(job) : Templates.detail(job);
    }

    /** The form: a refused one comes back (400) with its problems above it. */
    @POST
    @RolesAllowed(Role.SUBMITTER_NAME)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String method, @RestForm String dataset, @RestForm String ipc,
                           @RestForm String seed, @RestForm String iterations, @RestForm String learningRate,
                           @RestForm String realPerClass) {
        List<String> problems = new ArrayList<>();
        Integer ipcValue = whole(ipc, "ipc", problems);
        Integer seedValue = whole(seed, "seed", problems);
        Integer iterationsValue = whole(iterations, "iterations", problems);
        Integer realValue = whole(realPerClass, "realPerClass", problems);
        Double lr = null;
        if (learningRate != null && !learningRate.isBlank()) {
            try {
                lr = Double.valueOf(learningRate.trim());
            } catch (NumberFormatException e) {
                problems.add("learningRate: '" + Excerpts.of(learningRate) + "' is not a number");
            }
        }
        DistillRequest form = new DistillRequest(method, dataset, ipcValue, seedValue == null ? null
                : seedValue.longValue(), iterationsValue, lr, realValue);
        if (problems.isEmpty()) {
            try {
                DistillationJobView job = DistillationDesk.enqueue(jobs, form, viewer.actor());
                return Response.seeOther(URI.create(job.url())).build();
            } catch (WebError e) {
                problems.addAll(e.problems());
            }
        }
        return Response.status(400).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.list(jobs.list(), form, problems).render()).build();
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed(Role.SUBMITTER_NAME)
    public Response cancel(@RestPath long id) {
        return Response.seeOther(URI.create(DistillationDesk.cancel(jobs, id, viewer.actor()).url())).build();
    }

    private static Integer whole(String text, String field, List<String> problems) {
        if (text == null || text.isBlank()) return null;
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            problems.add(field + ": '" + Excerpts.of(text) + "' is not a whole number");
            return null;
        }
    }
}
