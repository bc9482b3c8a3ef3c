package dev.bristle.web.accounts;

import dev.bristle.accounts.Role;
import dev.bristle.submissions.BundleRejected;
import dev.bristle.submissions.SubmissionService;
import dev.bristle.submissions.SubmissionView;
import dev.bristle.web.common.Htmx;
import dev.bristle.web.common.Viewer;
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
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.net.URI;
import java.util.List;

/**
 * Submissions: the upload form of a bundle, the list, and one submission's page, whose checks fill in as they run
 * (htmx polling) and which says which check failed, with its figures.
 */
@Path("/submissions")
@Produces(MediaType.TEXT_HTML)
public class SubmissionResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<SubmissionView> submissions);

        static native TemplateInstance upload(List<String> problems, String refusal);

        static native TemplateInstance upload$form(List<String> problems, String refusal);

        static native TemplateInstance detail(SubmissionView submission);

        static native TemplateInstance detail$checks(SubmissionView submission);
    }

    @Inject
    SubmissionService submissions;

    @Inject
    Viewer viewer;

    @GET
    public TemplateInstance list() {
        return Templates.list(submissions.list(viewer.actor()));
    }

    @GET
    @Path("/new")
    @RolesAllowed(Role.SUBMITTER_NAME)
    public TemplateInstance uploadForm() {
        return Templates.upload(List.of(), null);
    }

    /**
     * Submits a bundle. The form posts through htmx where scripts run (to show the upload's progress): it then gets
     * the refused form alone, or the submission's address in {@code HX-Redirect}; without scripts, a page or redirect.
     */
    @POST
    @RolesAllowed(Role.SUBMITTER_NAME)
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response submit(@RestForm("file") List<FileUpload> file, @HeaderParam(Htmx.REQUEST_HEADER) String htmx) {
        boolean fragment = Htmx.wantsFragment(htmx, null);
        try {
            String url = SubmissionDesk.submit(submissions, file, viewer.actor()).url();
            return fragment ? Response.ok().header(Htmx.REDIRECT_HEADER, url).build()
                    : Response.seeOther(URI.create(url)).build();
        } catch (BundleRejected e) {
            TemplateInstance page = fragment ? Templates.upload$form(e.problems(), SubmissionDesk.REFUSED)
                    : Templates.upload(e.problems(), SubmissionDesk.REFUSED);
            return Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE).entity(page.render()).build();
        }
    }

    @GET
    @Path("/{id}")
    @ResponseHeader(name = "Vary", value = Htmx.REQUEST_HEADER)
    public TemplateInstance detail(@RestPath long id, @HeaderParam(Htmx.REQUEST_HEADER) String htmx,
                                   @HeaderParam(Htmx.HISTORY_RESTORE_HEADER) String historyRestore) {
        SubmissionView submission = SubmissionDesk.find(submissions, id, viewer.actor());
        return Htmx.wantsFragment(htmx, historyRestore) ? Templates.detail$checks(submission)
                : Templates.detail(submission);
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed(Role.SUBMITTER_NAME)
    public Response cancel(@RestPath long id) {
        return Response.seeOther(URI.create(SubmissionDesk.cancel(submissions, id, viewer.actor()).url())).build();
    }
}
