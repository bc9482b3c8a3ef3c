package dev.bristle.web.accounts;

import dev.bristle.accounts.Role;
import dev.bristle.submissions.BundleRejected;
import dev.bristle.submissions.SubmissionService;
import dev.bristle.submissions.SubmissionView;
import dev.bristle.web.common.ApiError;
import dev.bristle.web.common.ApiProblems;
import dev.bristle.web.common.Viewer;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
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
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.net.URI;
import java.util.List;

/** The JSON twins of the submission pages, and submissions for scripts. */
@Path("/api/submissions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Submissions", description = "Bundles of official runs made elsewhere, verified here by recomputation")
public class SubmissionApiResource {

    @Inject
    SubmissionService submissions;

    @Inject
    Viewer viewer;

    @GET
    @Operation(summary = "The submissions you may see: yours, the public ones (their entry approved); all for"
            + " maintainers")
    public List<SubmissionView> list() {
        return submissions.list(viewer.actor());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One submission: its checks with their figures, progress and outcome")
    @APIResponse(responseCode = "404", description = "No such submission, or not yours and not public yet",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public SubmissionView detail(@RestPath long id) {
        return SubmissionDesk.find(submissions, id, viewer.actor());
    }

    @POST
    @RolesAllowed(Role.SUBMITTER_NAME)
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Submit a bundle made by ./bristle score ... --bundle (multipart: file) for verification")
    @APIResponse(responseCode = "201", description = "Stored; its checks are queued",
            content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "400", description = "Refused; nothing stored",
            content = @Content(schema = @Schema(implementation = ApiProblems.class)))
    @APIResponse(responseCode = "409", description = "The bundle, or a set that failed verification, was submitted"
            + " before", content = @Content(schema = @Schema(implementation = ApiProblems.class)))
    @APIResponse(responseCode = "429", description = "Over the hourly quota of submissions")
    public Response submit(@RestForm("file") List<FileUpload> file) {
        try {
            SubmissionView view = SubmissionDesk.submit(submissions, file, viewer.actor());
            return Response.created(URI.create("/api" + view.url())).entity(view).build();
        } catch (BundleRejected e) {
            return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiProblems(e.status(), SubmissionDesk.REFUSED, e.problems())).build();
        }
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed(Role.SUBMITTER_NAME)
    @Operation(summary = "Cancel a submission's verification (its owner or a maintainer)")
    public SubmissionView cancel(@RestPath long id) {
        return SubmissionDesk.cancel(submissions, id, viewer.actor());
    }
}
