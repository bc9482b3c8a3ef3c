package dev.bristle.submissions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bristle.jobs.JobEngine;
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
 * Submissions' checks as work in the database, for {@link VerificationWorker}: each check handed to the job engine
 * once the one before it has passed (the first at submission), a check's start with the secret draw seed, its progress
 * and its end. A check that fails ends its submission FAILED with the rest not run; the last check passing puts the
 * submission's entry on its board, in the same transaction.
 */
@ApplicationScoped
public class VerificationQueue {

    private static final SecureRandom SEEDS = new SecureRandom();

    @Inject
    JobEngine engine;

    @Inject
    VerifiedEntries entries;

    @Inject
    ObjectMapper json;

    /** A check started to be run: which attempt of which check of which submission, and with what. */
    public record Claim(long checkId, int attempt, long submissionId, VerificationCheck check, long drawSeed,
                        String blobName, String dataset, String protocol, String submittedBy) {
    }

    /** How a check's end left its submission. */
    public enum Ending {
        /** Checks remain to run. */
        CONTINUES,
        /** Every check passed: the submission is VERIFIED and its entry published (or waiting for review). */
        VERIFIED,
        /** The check failed: the submission is FAILED, the remaining checks not run. */
        FAILED,
        /** The check is no longer this attempt's (cancelled, or taken over by another): nothing was recorded. */
        LOST
    }

    /** Hands a submission's first check to the job engine, in the caller's transaction. */
    void scheduleFirst(long submissionId) {
        VerificationCheckRow.ofSubmission(submissionId).stream().findFirst()
                .ifPresent(row -> engine.schedule(VerificationCheckRow.WORK, row.id));
    }

    /**
     * Starts an attempt of check {@code checkId} on {@code instance}; empty when there is nothing to run (the check or
     * its submission has ended). The submission's first start draws its seed (SecureRandom), which stays secret until
     * verification has ended.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Claim> start(long checkId, String instance) {
        VerificationCheckRow row = VerificationCheckRow.findById(checkId, LockModeType.PESSIMISTIC_WRITE);
        if (row == null || row.state.ended()) return Optional.empty();
        Submission submission = Submission.findById(row.submissionId, LockModeType.PESSIMISTIC_WRITE);
        if (submission.state.ended()) return Optional.empty();
        Instant now = Instant.now();
        row.started(instance, now);
        row.progressDone = 0;
        if (submission.drawSeed == null) submission.drawSeed = SEEDS.nextLong();
        submission.state = SubmissionState.VERIFYING;
        submission.updatedAt = now;
        return Optional.of(new Claim(checkId, row.attempts, submission.id, row.check(), submission.drawSeed,
                submission.blobName(), submission.dataset, submission.protocol, submission.submittedBy));
    }

    /** Writes a running check's progress; false once the attempt no longer runs (cancelled, taken over). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean progress(long checkId, int attempt, int done, int total, String label) {
        return WorkItem.progress(VerificationCheckRow.class, checkId, attempt, done, total, label);
    }

    /** Whether attempt {@code attempt} of check {@code checkId} still runs (not cancelled, not taken over). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean running(long checkId, int attempt) {
        VerificationCheckRow row = VerificationCheckRow.findById(checkId);
        return row != null && row.state == JobState.RUNNING && row.attempts == attempt;
    }

    /**
     * Records a check's outcome. A failed check fails the submission; the last check passing publishes the entry
     * {@code run} supplies (read only then), marked with what verification recomputed.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Ending ended(long checkId, int attempt, CheckOutcome outcome, Supplier<MeasuredRun> run) {
        VerificationCheckRow row = VerificationCheckRow.findById(checkId, LockModeType.PESSIMISTIC_WRITE);
        if (row.state != JobState.RUNNING || row.attempts != attempt) return Ending.LOST;
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
        Optional<VerificationCheckRow> next = checks.stream().filter(c -> c.state == JobState.QUEUED).findFirst();
        if (next.isPresent()) {
            engine.schedule(VerificationCheckRow.WORK, next.get().id);
            return Ending.CONTINUES;
        }
        entries.publish(run.get(), submission.id, checks.stream().map(this::line).toList());
        submission.state = SubmissionState.VERIFIED;
        submission.updatedAt = now;
        return Ending.VERIFIED;
    }

    /**
     * An attempt of a check could not be run: one whose failure is the bundle's own ({@code isFinal}) fails the
     * submission at once; any other goes back to QUEUED with the reason, for the engine to run again after its
     * back-off or give up on ({@link #failedForGood}). A check no longer running (cancelled) stays as it is.
     *
     * @return whether the check waits for another attempt
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean failed(long checkId, String error, boolean isFinal) {
        VerificationCheckRow row = VerificationCheckRow.findById(checkId, LockModeType.PESSIMISTIC_WRITE);
        if (row.state.ended()) return false;
        if (!isFinal) {
            row.retry(error);
            return true;
        }
        failSubmission(row, error);
        return false;
    }

    /** The engine gave up on a check after its last attempt: the submission fails with that attempt's reason. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void failedForGood(long checkId) {
        VerificationCheckRow row = VerificationCheckRow.findById(checkId, LockModeType.PESSIMISTIC_WRITE);
        if (row != null && !row.state.ended()) failSubmission(row, row.errorMessage);
    }

    private void failSubmission(VerificationCheckRow row, String error) {
        row.end(JobState.FAILED, error, Instant.now());
        Submission submission = Submission.findById(row.submissionId, LockModeType.PESSIMISTIC_WRITE);
        endRest(submission, SubmissionState.FAILED, "the " + label(row.check()) + " check could not be run: " + error,
                JobState.CANCELLED, "not run: the " + label(row.check()) + " check could not be run");
    }

    /** Back to QUEUED: this instance stopped while it ran the check, which the engine runs again from its start. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void stopped(long checkId) {
        WorkItem.requeue(VerificationCheckRow.class, checkId);
    }

    /**
     * Ends {@code submission} in {@code state} (with {@code error}, null: none) and every check of it not yet ended in
     * {@code checks} (with {@code reason}), their queued executions cancelled in the job engine (inside a transaction).
     */
    void endRest(Submission submission, SubmissionState state, String error, JobState checks, String reason) {
        Instant now = Instant.now();
        submission.state = state;
        submission.errorMessage = error == null ? null : WorkItem.fitLabel(error);
        submission.updatedAt = now;
        for (VerificationCheckRow rest : VerificationCheckRow.ofSubmission(submission.id)) {
            if (rest.state.ended()) continue;
            engine.cancel(VerificationCheckRow.WORK, rest.id);
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
