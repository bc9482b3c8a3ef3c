package dev.bristle.web.accounts;

import dev.bristle.accounts.Role;
import dev.bristle.leaderboard.ReviewService;
import dev.bristle.web.common.Viewer;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

import java.util.List;

/** The JSON twin of the review page. */
@Path("/api/review")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Review", description = "Measured entries before publication")
public class ReviewApiResource {

    /** A maintainer's decision; a rejection needs a reason. */
    public record DecisionRequest(
            @NotNull(message = "must be approve or reject") @Pattern(regexp = "approve|reject",
                    message = "must be approve or reject") String decision,
            @Size(max = 500, message = "may have at most 500 characters") String reason) {
    }

    @Inject
    ReviewService reviews;

    @Inject
    Viewer viewer;

    @GET
    @RolesAllowed(Role.SUBMITTER_NAME)
    @Operation(summary = "Measured entries awaiting review (a submitter's own; all of them for maintainers)")
    public List<ReviewService.ReviewItem> pending() {
        return reviews.pending(viewer.actor());
    }

    @POST
    @Path("/{id}")
    @RolesAllowed(Role.MAINTAINER_NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Approve or reject a measured entry (maintainers)")
    public ReviewService.ReviewItem decide(@RestPath long id,
                                           @Valid @NotNull(message = "must be a JSON object") DecisionRequest request) {
        return ReviewDecisions.decide(reviews, id, request.decision(), request.reason(), viewer.name());
    }
}
