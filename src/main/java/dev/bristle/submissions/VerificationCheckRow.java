package dev.bristle.submissions;

import dev.bristle.ml.verify.VerificationCheck;
import dev.bristle.scoring.JobState;
import dev.bristle.scoring.WorkItem;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.util.List;

/**
 * One check of a submission as work the job engine hands to any instance: it runs once every check before it (by
 * position) has passed, and keeps its typed outcome ({@code CheckOutcome}, as JSON) as evidence.
 */
@Entity
@Table(name = "verification_check")
public class VerificationCheckRow extends WorkItem {

    /** The job engine's name for a check's execution. */
    public static final String WORK = "verification-check";

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
}
