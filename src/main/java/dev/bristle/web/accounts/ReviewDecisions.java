package dev.bristle.web.accounts;

import dev.bristle.input.InvalidInputException;
import dev.bristle.leaderboard.ReviewService;

import dev.bristle.web.common.WebError;
import java.util.List;
import java.util.Locale;

/** A maintainer's decision on a measured entry, from the review page's form and from its JSON twin alike. */
final class ReviewDecisions {

    private ReviewDecisions() {
    }

    /** Approves or rejects entry {@code id}; a decision that is neither, or a reason too long, is a 400. */
    static ReviewService.ReviewItem decide(ReviewService reviews, long id, String decision, String reason,
                                           String maintainer) {
        ReviewService.Decision choice;
        try {
            choice = ReviewService.Decision.valueOf(decision == null ? "" : decision.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new WebError(400, "Nothing was decided.", List.of("decision must be approve or reject"));
        }
        if (reason != null && reason.length() > 500) {
            throw new WebError(400, "Nothing was decided.", List.of("reason may have at most 500 characters"));
        }
        try {
            return reviews.decide(id, choice, reason, maintainer).orElseThrow(() ->
                    WebError.notFound("There is no measured entry #" + id + "."));
        } catch (InvalidInputException e) {
            throw new WebError(400, "Nothing was decided.", List.of(e.getMessage()));
        }
    }
}
