package dev.bristle.submissions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bristle.config.BristleConfig;
import dev.bristle.leaderboard.MeasuredRun;
import dev.bristle.leaderboard.VerifiedEntries;
import dev.bristle.ml.verify.CheckOutcome;
import dev.bristle.ml.verify.VerificationCheck;
import dev.bristle.scoring.JobState;
import dev.bristle.scoring.WorkItem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Submissions' checks as work in the database, for {@link VerificationWorker}: claiming the next ready check (SELECT
 * ... FOR UPDATE SKIP LOCKED, so instances sharing the database each take another), the secret draw seed, progress
 * and heartbeat, and each check's end. A check that fails ends its submission FAILED with the rest not run; the last
 * check passing puts the submission's entry on its board, in the same transaction.
 */
@ApplicationScoped
public class VerificationQueue {

    private static final SecureRandom SEEDS = new SecureRandom();

    @Inject
    BristleConfig config;

    @Inject
    VerifiedEntries entries;

    @Inject
    ObjectMapper json;

    /** A check claimed to be run: which, of which submission, and with what. */
    public record Claim(long checkId, long submissionId, VerificationCheck check, long drawSeed, String blobName,
                        String dataset, String protocol, String submittedBy) {
    }

    /** How a check's end left its submission. */
    public enum Ending {
        /** Checks remain to run. */
        CONTINUES,
        /** Every check passed: the submission is VERIFIED and its entry published (or waiting for review). */
        VERIFIED,
        /** The check failed: the submission is FAILED, the remaining checks not run. */
        FAILED,
        /** The check is no longer this instance's (cancelled, or re-queued as stale): nothing was recorded. */
        LOST
    }

    /**
     * Claims the next ready check for {@code instance}. The submission's first claim starts its verification and
     * draws its seed (SecureRandom), which stays secret until verification has ended.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Claim> claimNext(String instance) {
        return VerificationCheckRow.lockNextReady().map(id -> {
            VerificationCheckRow row = VerificationCheckRow.findById(id);
            Submission submission = Submission.findById(row.submissionId, LockModeType.PESSIMISTIC_WRITE);
            Instant now = Instant.now();
            row.claim(instance, now);
            row.progressDone = 0;
            if (submission.drawSeed == null) submission.drawSeed = SEEDS.nextLong();
            submission.state = SubmissionState.VERIFYING;
            submission.updatedAt = now;
            return new Claim(id, submission.id, row.check(), submission.drawSeed, submission.blobName(),
                    submission.dataset, submission.protocol, submission.submittedBy);
        });
    }

    /** Re-queues RUNNING checks of {@code instance} (it restarted; null: none) or silent since before {@code cutoff}. */
    @Transactional
    public int requeueAbandoned(String instance, Instant cutoff) {
        return WorkItem.requeueAbandoned(VerificationCheckRow.class, instance, cutoff);
    }

    /** Writes a running check's progress, which is also its heartbeat; false once it is no longer this instance's. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean progress(long checkId, String instance, int done, int total, String label) {
        return WorkItem.progress(VerificationCheckRow.class, checkId, instance, done, total, label, Instant.now());
    }

    /** The heartbeat of a check that reports no progress for a while; whether it is still this instance's. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean heartbeat(long checkId, String instance) {
        return VerificationCheckRow.update("heartbeatAt = ?1 where id = ?2 and claimedBy = ?3 and state = ?4",
                Instant.now(), checkId, instance, JobState.RUNNING) > 0;
    }

    /**
     * Records a check's outcome. A failed check fails the submission; the last check passing publishes the entry
     * {@code run} supplies (read only then), marked with what verification recomputed.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Ending ended(long checkId, String instance, CheckOutcome outcome, Supplier<MeasuredRun> run) {
        VerificationCheckRow row = VerificationCheckRow.findById(checkId, LockModeType.PESSIMISTIC_WRITE);
        if (row.state != JobState.RUNNING || !instance.equals(row.claimedBy)) return Ending.LOST;
        Submission submission = Submission.findById(row.submissionId, LockModeType.PESSIMISTIC_WRITE);
        Instant now = Instant.now();
        row.passed = outcome.passed();
        row.seconds = outcome.seconds();
        row.outcome = write(outcome);
        row.progressDone = row.progressTotal;
        row.end(JobState.SUCCEEDED, null, now);
        if (!outcome.passed()) {
            endRest(submission, SubmissionState.FAILED, null, JobState.CANCELLED, "not run: the "
                    + label(row.check()) + " check failed");
            return Ending.FAILED;
        }
        List<VerificationCheckRow> checks = VerificationCheckRow.ofSubmission(submission.id);
        if (checks.stream().anyMatch(c -> c.state != JobState.SUCCEEDED)) return Ending.CONTINUES;
        entries.publish(run.get(), submission.id, checks.stream().map(this::line).toList());
        submission.state = SubmissionState.VERIFIED;
        submission.updatedAt = now;
        return Ending.VERIFIED;
    }

    /**
     * A check could not be run. One that may be retried ({@code retry}: not the bundle's fault) goes back to the
     * queue while it has attempts left ({@code bristle.worker.task-attempts}); else the submission fails with the
     * reason. A check no longer running (cancelled) stays as it is.
     *
     * @return whether the check went back to the queue
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean failed(long checkId, String error, boolean retry) {
        VerificationCheckRow row = VerificationCheckRow.findById(checkId, LockModeType.PESSIMISTIC_WRITE);
        if (row.state.ended()) return false;
        if (retry && row.attempts < config.worker().taskAttempts()) {
            row.retry(error);
            return true;
        }
        row.end(JobState.FAILED, error, Instant.now());
        Submission submission = Submission.findById(row.submissionId, LockModeType.PESSIMISTIC_WRITE);
        endRest(submission, SubmissionState.FAILED, "the " + label(row.check()) + " check could not be run: " + error,
                JobState.CANCELLED, "not run: the " + label(row.check()) + " check could not be run");
        return false;
    }

    /** Puts a check this instance was running back in the queue (the instance is stopping). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void requeue(long checkId) {
        WorkItem.requeue(VerificationCheckRow.class, checkId);
    }

    /**
     * Ends {@code submission} in {@code state} (with {@code error}, null: none) and every check of it not yet ended in
     * {@code checks} (with {@code reason}).
     */
    static void endRest(Submission submission, SubmissionState state, String error, JobState checks, String reason) {
        Instant now = Instant.now();
        submission.state = state;
        submission.errorMessage = error == null ? null : WorkItem.fitLabel(error);
        submission.updatedAt = now;
        for (VerificationCheckRow rest : VerificationCheckRow.ofSubmission(submission.id)) {
            if (rest.state.ended()) continue;
            rest.end(checks, reason, now);
            rest.claimedBy = null;
        }
    }

    /** "clean predictions", ... as messages name a check. */
    static String label(VerificationCheck check) {
        return check.label().toLowerCase(Locale.ROOT);
    }

    /** What a passed check recomputed, in a line for the entry page. */
    private String line(VerificationCheckRow row) {
        try {
            CheckOutcome outcome = json.readValue(row.outcome, CheckOutcome.class);
            String figures = outcome.images() > 0 ? String.format(Locale.ROOT, " (%,d images%s)", outcome.images(),
                    outcome.agreement() == null ? "" : String.format(Locale.ROOT, ", agreement %.2f %%",
                            outcome.agreement() * 100)) : "";
            return row.check().label() + ": " + outcome.summary() + figures;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("check #" + row.id + " has an unreadable outcome", e);
        }
    }

    private String write(CheckOutcome outcome) {
        try {
            return json.writeValueAsString(outcome);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a check's outcome: " + e.getOriginalMessage(), e);
        }
    }
}
