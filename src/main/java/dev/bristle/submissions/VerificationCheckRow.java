package dev.bristle.submissions;

import dev.bristle.ml.verify.VerificationCheck;
import dev.bristle.scoring.JobState;
import dev.bristle.scoring.WorkItem;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.util.List;
import java.util.Optional;

/**
 * One check of a submission as work any instance claims: it runs once every check before it (by position) has
 * passed, and keeps its typed outcome ({@code CheckOutcome}, as JSON) as evidence.
 */
@Entity
@Table(name = "verification_check")
public class VerificationCheckRow extends WorkItem {

    @Column(name = "submission_id")
    public long submissionId;
    /** The check's place in the order the checks run (0: integrity). */
    public int position;
    /** {@link VerificationCheck#key()}. */
    @Column(name = "check_key")
    public String checkKey;
    /** Null until the check ended with an outcome. */
    public Boolean passed;
    /** The check's {@code CheckOutcome} as JSON. */
    public String outcome;
    public Double seconds;

    static VerificationCheckRow queued(long submissionId, VerificationCheck check) {
        VerificationCheckRow row = new VerificationCheckRow();
        row.submissionId = submissionId;
        row.position = check.ordinal();
        row.checkKey = check.key();
        row.state = JobState.QUEUED;
        return row;
    }

    VerificationCheck check() {
        return VerificationCheck.fromKey(checkKey);
    }

    static List<VerificationCheckRow> ofSubmission(long submissionId) {
        return list("submissionId = ?1 order by position", submissionId);
    }

    /**
     * Locks the next check ready to run for the calling transaction, skipping checks another instance holds: a queued
     * check of a submission still being verified whose earlier checks have all passed, the oldest submission's first.
     */
    @SuppressWarnings("unchecked")
    static Optional<Long> lockNextReady() {
        List<Number> ids = getEntityManager().createNativeQuery("select c.id from verification_check c"
                + " where c.state = 'QUEUED'"
                + " and exists (select 1 from submission s where s.id = c.submission_id"
                + " and s.state in ('RECEIVED', 'VERIFYING'))"
                + " and not exists (select 1 from verification_check p where p.submission_id = c.submission_id"
                + " and p.position < c.position and (p.state <> 'SUCCEEDED' or p.passed = false))"
                + " order by c.submission_id, c.position limit 1 for update skip locked").getResultList();
        return ids.stream().findFirst().map(Number::longValue);
    }
}
