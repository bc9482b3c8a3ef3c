package dev.bristle.scoring;

import dev.bristle.jobs.JobEngine;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.score.ScoringPipeline;
import dev.bristle.ml.score.TestShard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import static dev.bristle.scoring.WorkItem.fitLabel;

/**
 * A scoring job's tasks as the job engine runs them: an attempt started (and kept as the job's attempt row), its
 * progress for the job's page, how it ended, and each phase's tasks handed to the engine once the phase before has
 * succeeded. Each method is one short transaction of its own.
 */
@ApplicationScoped
public class JobTasks {

    /** The job engine's name for a scoring task's execution. */
    public static final String WORK = "scoring-task";

    @Inject
    JobEngine engine;

    @Inject
    JobService jobs;

    /**
     * A task's attempt started on this instance, with the job it belongs to.
     *
     * @param shard an ATTACK task's shard of the test images; null: the whole test set (a job of one shard, or a task
     *              planned before shards)
     * @param label what the task runs, as the job page names it ({@link ScoringTask#label()})
     */
    public record Started(long jobId, long taskId, int attempt, TaskKind kind, Integer student,
                          ScoringPipeline.AttackUnit unit, TestShard shard, String label) {
    }

    /** Where a running attempt stands for the instance running it. */
    public enum Standing {
        /** Still this attempt's to run. */
        HELD,
        /** A user asked to cancel its job, or the job ended (another of its tasks failed). */
        CANCEL_REQUESTED,
        /** No longer this attempt's: the engine took its instance for dead and another attempt runs the task. */
        LOST
    }

    /** Hands the first phase's tasks of a job just planned to the engine, in the caller's transaction. */
    void scheduleFirstPhase(long jobId) {
        scheduleNextPhase(jobId, -1);
    }

    /**
     * Starts an attempt of task {@code taskId} on {@code instance}; empty when there is nothing to run (the task
     * ended, or its job was cancelled: the task ends CANCELLED). A task still RUNNING was left by an instance that
     * died (the engine revived its execution): its open attempt is closed ABANDONED.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Started> start(long taskId, String instance) {
        ScoringTask task = ScoringTask.findById(taskId, LockModeType.PESSIMISTIC_WRITE);
        if (task == null || task.state.ended()) return Optional.empty();
        Instant now = Instant.now();
        if (task.state == JobState.RUNNING) JobAttempt.close(taskId, JobAttempt.Outcome.ABANDONED, null, now);
        ScoringJob job = ScoringJob.findById(task.jobId, LockModeType.PESSIMISTIC_WRITE);
        if (job.cancelRequested || job.state.ended()) {
            task.end(JobState.CANCELLED, null, now);
            settleCancelled(job);
            return Optional.empty();
        }
        task.started(instance, now);
        task.progressDone = 0;
        task.progressTotal = 0;
        task.progressLabel = null;
        job.started(instance, now);
        JobAttempt attempt = new JobAttempt();
        attempt.jobId = job.id;
        attempt.taskId = task.id;
        attempt.attempt = job.attempts;
        attempt.instanceId = instance;
        attempt.claimedAt = now;
        attempt.persist();
        boolean attack = task.kind == TaskKind.ATTACK;
        return Optional.of(new Started(job.id, task.id, task.attempts, task.kind, task.studentIndex,
                attack ? task.unit() : null, attack ? task.shard() : null, task.label()));
    }

    /** Where attempt {@code attempt} of task {@code taskId} stands. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Standing standing(long taskId, int attempt) {
        ScoringTask task = ScoringTask.findById(taskId);
        if (task == null || task.state != JobState.RUNNING || task.attempts != attempt) return Standing.LOST;
        ScoringJob job = ScoringJob.findById(task.jobId);
        return job.cancelRequested || job.state.ended() ? Standing.CANCEL_REQUESTED : Standing.HELD;
    }

    /**
     * Writes the progress of a task's attempt (nothing once another attempt has taken it over), and the job's: while
     * training, the training task's; then, the share of the phase's tasks done.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void progress(long taskId, int attempt, String stage, int done, int total, String label) {
        if (!WorkItem.progress(ScoringTask.class, taskId, attempt, done, total, label)) return;
        jobProgress(ScoringTask.findById(taskId), stage, done, total, label);
    }

    private static void jobProgress(ScoringTask task, String stage, int done, int total, String label) {
        if (task.kind == TaskKind.TRAIN) {
            ScoringJob.update("stage = ?1, progressDone = ?2, progressTotal = ?3, progressLabel = ?4 where id = ?5",
                    stage, done, total, fitLabel(label), task.jobId);
        } else if (task.kind.stage() != null) {
            boolean attacks = ScoringTask.count("jobId = ?1 and kind = ?2", task.jobId, TaskKind.ATTACK) > 0;
            long all = ScoringTask.count("jobId = ?1 and phase = ?2", task.jobId, task.phase);
            long finished = ScoringTask.count("jobId = ?1 and phase = ?2 and state = ?3", task.jobId, task.phase,
                    JobState.SUCCEEDED);
            ScoringJob.update("stage = ?1, progressDone = ?2, progressTotal = ?3, progressLabel = ?4 where id = ?5",
                    (attacks ? ScoringPipeline.Stage.ATTACKS : ScoringPipeline.Stage.CLEAN_EVALUATION).name(),
                    (int) finished, (int) all, fitLabel(finished + " of " + all + " tasks done; " + task.label()
                            + (label == null ? "" : ": " + label)), task.jobId);
        } else {
            ScoringJob.update("progressLabel = ?1 where id = ?2", fitLabel(task.label()), task.jobId);
        }
    }

    /**
     * A task finished its work: the job's progress counts it, and the task that completes its phase hands the next
     * phase's tasks to the engine, under the job row's lock, so exactly one of a phase's last tasks does.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void taskSucceeded(long taskId) {
        ScoringTask task = endTask(taskId, JobState.SUCCEEDED, null);
        jobProgress(task, null, task.progressDone, task.progressTotal, "done");
        ScoringJob job = ScoringJob.findById(task.jobId, LockModeType.PESSIMISTIC_WRITE);
        if (job.state.ended() || job.cancelRequested) return;
        if (ScoringTask.count("jobId = ?1 and phase = ?2 and state <> ?3", job.id, task.phase,
                JobState.SUCCEEDED) == 0) {
            scheduleNextPhase(job.id, task.phase);
        }
    }

    /**
     * The queued tasks of the first phase after {@code phase} that has any, handed to the engine the longest expected
     * first ({@link CostEstimates#longestFirst}), each due a microsecond after the one before: the engine takes due
     * work in that order, so the phase ends with its shortest tasks, and a later job's tasks still come after.
     */
    private void scheduleNextPhase(long jobId, int phase) {
        List<ScoringTask> later = ScoringTask.list("jobId = ?1 and phase > ?2 and state = ?3 order by phase, id",
                jobId, phase, JobState.QUEUED);
        if (later.isEmpty()) return;
        List<ScoringTask> next = later.stream().filter(t -> t.phase == later.get(0).phase).toList();
        ScoringJob job = ScoringJob.findById(jobId);
        DatasetKind dataset = DatasetKind.fromName(JobService.subject(job).dataset());
        Instant due = Instant.now();
        for (ScoringTask task : CostEstimates.longestFirst(next, jobs.readSettings(job), dataset)) {
            engine.schedule(WORK, task.id, due);
            due = due.plus(1, ChronoUnit.MICROS);
        }
    }

    /**
     * An attempt of a task failed with {@code error}: one whose failure is its input's ({@code isFinal}) fails its
     * job at once, its queued tasks with it; any other goes back to QUEUED with the reason, its attempt closed FAILED,
     * for the engine to run again after its back-off or give up on ({@link #failedForGood}).
     *
     * @return whether the task waits for another attempt
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean taskFailed(long taskId, String error, boolean isFinal) {
        ScoringTask task = ScoringTask.findById(taskId, LockModeType.PESSIMISTIC_WRITE);
        if (task.state.ended()) return false;
        if (!isFinal) {
            task.retry(error);
            JobAttempt.close(taskId, JobAttempt.Outcome.FAILED, task.errorMessage, Instant.now());
            return true;
        }
        failJob(taskId, error);
        return false;
    }

    /** The engine gave up on a task after its last attempt: its job fails with that attempt's reason. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void failedForGood(long taskId) {
        ScoringTask task = ScoringTask.findById(taskId, LockModeType.PESSIMISTIC_WRITE);
        if (task != null && !task.state.ended()) failJob(taskId, task.errorMessage);
    }

    private void failJob(long taskId, String error) {
        ScoringTask task = endTask(taskId, JobState.FAILED, error);
        cancelQueued(task.jobId, task.finishedAt);
        ScoringJob job = ScoringJob.findById(task.jobId);
        if (!job.state.ended()) job.end(JobState.FAILED, task.label() + ": " + error, task.finishedAt);
    }

    /** A task stopped at a cancel request (or because its job ended); the job ends once none of its tasks runs. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void taskCancelled(long taskId) {
        ScoringTask task = endTask(taskId, JobState.CANCELLED, null);
        settleCancelled(ScoringJob.findById(task.jobId));
    }

    /** Back to QUEUED (this instance is stopping, the engine runs it again); what it finished stays for then. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void taskStopped(long taskId) {
        if (WorkItem.requeue(ScoringTask.class, taskId)) {
            JobAttempt.close(taskId, JobAttempt.Outcome.STOPPED, null, Instant.now());
        }
    }

    /** Ends a task and its open attempt; written at once, before any job row is (the order every writer keeps). */
    static ScoringTask endTask(long taskId, JobState state, String error) {
        ScoringTask task = ScoringTask.findById(taskId);
        task.end(state, error, Instant.now());
        JobAttempt.close(taskId, JobAttempt.Outcome.of(state), task.errorMessage, task.finishedAt);
        // Written now, before the job row: every transaction takes a task's row before its job's (as a start does),
        // so two of them never wait for each other.
        ScoringTask.flush();
        return task;
    }

    /**
     * A job asked to cancel: its queued tasks' executions leave the engine at once; once none of its tasks runs any
     * more, the job ends CANCELLED with its queued tasks (call inside a transaction).
     */
    void settleCancelled(ScoringJob job) {
        if (job.state.ended() || !job.cancelRequested) return;
        if (ScoringTask.count("jobId = ?1 and state = ?2", job.id, JobState.RUNNING) > 0) {
            for (ScoringTask task : ScoringTask.<ScoringTask>list("jobId = ?1 and state = ?2", job.id,
                    JobState.QUEUED)) {
                engine.cancel(WORK, task.id);
            }
            return;
        }
        Instant now = Instant.now();
        cancelQueued(job.id, now);
        job.end(JobState.CANCELLED, null, now);
    }

    /** Ends a job's queued tasks CANCELLED, their executions cancelled in the engine. */
    private void cancelQueued(long jobId, Instant now) {
        for (ScoringTask task : ScoringTask.<ScoringTask>list("jobId = ?1 and state = ?2", jobId, JobState.QUEUED)) {
            engine.cancel(WORK, task.id);
            task.end(JobState.CANCELLED, null, now);
        }
    }
}
