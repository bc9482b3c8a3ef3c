package dev.bristle.leaderboard;

import dev.bristle.text.ColumnText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.List;

/**
 * Entries made by verified submissions: a submitter's own official run, verified here by recomputing parts of it,
 * goes on its board like a scoring job's (review included), marked verified with what verification recomputed.
 */
@ApplicationScoped
public class VerifiedEntries {

    private static final int MAX_VERIFICATION = 4000;

    @Inject
    MeasuredEntries entries;

    /** An entry a submission made: its mode, its review (pending, approved, rejected) and its page. */
    public record SubmittedEntry(String mode, String review, String url) {
    }

    /**
     * Publishes a verified submission's run as {@link MeasuredEntries#publish} does, in the caller's transaction,
     * each row marked with the submission and what verification recomputed ({@code verification}, a line per check).
     *
     * @return what publishing did, one line per mode
     */
    @Transactional
    public List<String> publish(MeasuredRun run, long submissionId, List<String> verification) {
        return entries.publish(run, row -> {
            row.submissionId = submissionId;
            row.verification = ColumnText.fit(String.join("\n", verification), MAX_VERIFICATION);
        });
    }

    /** The entries a submission made, each with its review and page. */
    @Transactional
    public List<SubmittedEntry> ofSubmission(long submissionId) {
        return LeaderboardEntry.ofSubmission(submissionId).stream().flatMap(e -> Dataset.fromLabel(e.dataset).stream()
                .map(d -> new SubmittedEntry(e.mode, e.reviewStatus.key(), Links.entry(d, e.method)))).toList();
    }
}
