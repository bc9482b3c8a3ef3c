package dev.bristle.web.accounts;

import dev.bristle.accounts.Role;
import dev.bristle.leaderboard.ReviewService;
import dev.bristle.web.common.Viewer;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;

import java.net.URI;
import java.util.List;

/** Measured entries awaiting review: submitters see their own, maintainers see all and decide. */
@Path("/review")
@Produces(MediaType.TEXT_HTML)
public class ReviewResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<ReviewService.ReviewItem> items, String notice);
    }

    @Inject
    ReviewService reviews;

    @Inject
    Viewer viewer;

    @GET
    @RolesAllowed(Role.SUBMITTER_NAME)
    public TemplateInstance list() {
        return Templates.list(reviews.pending(viewer.actor()), null);
    }

    @POST
    @Path("/{id}")
    @RolesAllowed(Role.MAINTAINER_NAME)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response decide(@RestPath long id, @RestForm String decision, @RestForm String reason) {
        ReviewDecisions.decide(reviews, id, decision, reason, viewer.name());
        return Response.seeOther(URI.create("/review")).build();
    }
}
