package dev.bristle.scoring;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/** One attempt at a task of a scoring job by one app instance, from its start to how it ended. */
@Entity
@Table(name = "scoring_job_attempt")
public class JobAttempt extends PanacheEntityBase {

    /** How an attempt ended. */
    public enum Outcome {
        SUCCEEDED, FAILED, CANCELLED,
        /** The instance shut down and put the task back in the queue. */
        STOPPED,
        /** Its instance died (its heartbeat went stale): the job engine revived the task for another attempt. */
        ABANDONED;

        static Outcome of(JobState ended) {
            return switch (ended) {
                case SUCCEEDED -> SUCCEEDED;
                case FAILED -> FAILED;
                case CANCELLED -> CANCELLED;
                case QUEUED, RUNNING -> throw new IllegalArgumentException(ended + " does not end an attempt");
            };
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "job_id")
    public long jobId;
    /** The task attempted (null for the attempts at a whole job, before jobs were split into tasks). */
    @Column(name = "task_id")
    public Long taskId;
    /** 1 for the first attempt at one of the job's tasks, 2 for the next, ... (unique per job). */
    public int attempt;
    @Column(name = "instance_id")
    public String instanceId;
    @Column(name = "claimed_at")
    public Instant claimedAt;
    @Column(name = "ended_at")
    public Instant endedAt;
    @Enumerated(EnumType.STRING)
    public Outcome outcome;
    /** Why a FAILED attempt failed. */
    @Column(name = "error_message")
    public String errorMessage;

    public static List<JobAttempt> forJob(long jobId) {
        return list("jobId = ?1 order by attempt", jobId);
    }

    /** Closes the task's open attempt, if it has one, with the error that failed it (null: none). */
    static int close(long taskId, Outcome outcome, String error, Instant at) {
        return update("endedAt = ?1, outcome = ?2, errorMessage = ?3 where taskId = ?4 and endedAt is null", at,
                outcome, error, taskId);
    }

    /** Closes as ABANDONED a job's open attempts from before tasks (the job is planned again, as tasks). */
    static int closeWholeJob(long jobId, Instant at) {
        return update("endedAt = ?1, outcome = ?2 where jobId = ?3 and taskId is null and endedAt is null", at,
                Outcome.ABANDONED, jobId);
    }
}
