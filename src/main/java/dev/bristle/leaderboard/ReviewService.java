package dev.bristle.leaderboard;

import dev.bristle.accounts.Actor;
import dev.bristle.accounts.AuditService;
import dev.bristle.input.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Optional;

/**
 * Review before publication: a measured entry from a submitter's job waits here until a maintainer approves it (it
 * then appears on its public board) or rejects it with a reason. Pending entries are visible to their submitter and
 * to maintainers only.
 */
@ApplicationScoped
public class ReviewService {

    @Inject
    AuditService audit;

    /** A measured entry awaiting (or having had) review, with what a reviewer needs to judge it. */
    public record ReviewItem(long id, String dataset, String ipc, String mode, String method, double crei, Double rrm,
                             Double aem, Double cleanAccuracy, String submittedBy, Long scoringJobId, String status,
                             String reason) {
    }

    /** What a maintainer decides. */
    public enum Decision { APPROVE, REJECT }

    /** Pending entries: all of them for a maintainer, a submitter's own otherwise. */
    @Transactional
    public List<ReviewItem> pending(Actor viewer) {
        return LeaderboardEntry.pending(viewer.maintainer() ? null : viewer.name()).stream()
                .map(ReviewService::item).toList();
    }

    /**
     * Approves or rejects a measured entry; empty when there is no such entry. A rejection needs a reason
     * (InvalidInputException otherwise).
     */
    @Transactional
    public Optional<ReviewItem> decide(long entryId, Decision decision, String reason, String maintainer) {
        Optional<LeaderboardEntry> found = LeaderboardEntry.<LeaderboardEntry>findByIdOptional(entryId)
                .filter(e -> e.source == EntrySource.MEASURED);
        if (found.isEmpty()) return Optional.empty();
        String why = reason == null ? "" : reason.trim();
        if (decision == Decision.REJECT && why.isEmpty()) {
            throw new InvalidInputException("a rejection needs a reason the submitter can read");
        }
        LeaderboardEntry entry = found.get();
        BoardRevision.raise();
        entry.reviewStatus = decision == Decision.APPROVE ? ReviewStatus.APPROVED : ReviewStatus.REJECTED;
        entry.reviewReason = why.isEmpty() ? null : why;
        audit.record(maintainer, decision == Decision.APPROVE ? "approve-entry" : "reject-entry", "entry", entryId,
                entry.method + " " + entry.dataset + " IPC " + entry.ipc + " " + entry.mode
                        + (why.isEmpty() ? "" : ": " + why));
        return Optional.of(item(entry));
    }

    private static ReviewItem item(LeaderboardEntry e) {
        return new ReviewItem(e.id, e.dataset, e.ipc, e.mode, e.method, e.crei, e.rrm, e.aem, e.cleanAccuracy,
                e.submittedBy, e.scoringJobId, e.reviewStatus.key(), e.reviewReason);
    }
}
