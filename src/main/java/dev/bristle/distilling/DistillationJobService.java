package dev.bristle.distilling;

import dev.bristle.accounts.Actor;
import dev.bristle.accounts.AuditService;
import dev.bristle.input.InvalidInputException;
import dev.bristle.jobs.JobEngine;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.distill.DistillationMethod;
import dev.bristle.ml.distill.DistillationSettings;
import dev.bristle.scoring.ActiveJobs;
import dev.bristle.scoring.JobState;
import dev.bristle.scoring.WorkItem;
import jakarta.persistence.LockModeType;
import dev.bristle.text.PlainText;
import io.quarkus.panache.common.Sort;
import io.quarkus.security.ForbiddenException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Distillation jobs: queued by a submitter (with their execution in the job engine, in the same transaction), run by
 * a worker, their set added to the dataset pool.
 */
@ApplicationScoped
public class DistillationJobService implements ActiveJobs.Source {

    /** The largest set a job may make: the dataset pool's sets are a few hundred images per class at most. */
    public static final int MAX_IPC = 500;
    public static final int MAX_ITERATIONS = 100_000;

    @Inject
    ActiveJobs activeJobs;

    @Inject
    AuditService audit;

    @Inject
    JobEngine engine;

    /** What a caller asks for; null settings take the method's defaults. */
    public record Request(String method, String dataset, int ipc, long seed, Integer iterations, Double learningRate,
                          Integer realPerClass) {

        /** The distiller's settings, or the problems that prevent them (each a sentence). */
        public DistillationSettings settings(List<String> problems) {
            DistillationMethod distiller = null;
            // Names are compared leniently (case, spaces, punctuation): hidden characters are refused first.
            if (PlainText.hasHiddenCharacters(method)) problems.add("method: " + PlainText.PROBLEM);
            if (PlainText.hasHiddenCharacters(dataset)) problems.add("dataset: " + PlainText.PROBLEM);
            if (!problems.isEmpty()) return null;
            try {
                distiller = DistillationMethod.fromKey(method == null ? "" : method.trim());
            } catch (InvalidInputException e) {
                problems.add("method: " + e.getMessage());
            }
            try {
                DatasetKind.fromName(dataset == null ? "" : dataset.trim());
            } catch (InvalidInputException e) {
                problems.add("dataset: " + e.getMessage());
            }
            if (ipc < 1 || ipc > MAX_IPC) problems.add("ipc must be 1 to " + MAX_IPC + ", not " + ipc);
            if (seed < 0) problems.add("seed must be 0 or more, not " + seed);
            if (iterations != null && iterations > MAX_ITERATIONS) {
                problems.add("iterations must be at most " + MAX_ITERATIONS + ", not " + iterations);
            }
            if (distiller == null || !problems.isEmpty()) return null;
            try {
                return DistillationSettings.of(distiller, ipc, seed, iterations, learningRate, realPerClass);
            } catch (InvalidInputException e) {
                problems.add(e.getMessage());
                return null;
            }
        }
    }

    /**
     * Queues a job whose settings {@link Request#settings} accepted; a submitter's counts against the active-jobs
     * quota it shares with scoring jobs ({@link ActiveJobs}).
     *
     * @throws InvalidInputException with the problems joined when it cannot be queued
     */
    @Transactional
    public DistillationJobView enqueue(Request request, Actor actor) {
        List<String> problems = new ArrayList<>();
        if (request.settings(problems) == null) throw new InvalidInputException(String.join("; ", problems));
        if (!actor.maintainer()) activeJobs.require(actor.name());
        DistillationJob job = new DistillationJob();
        job.method = DistillationMethod.fromKey(request.method().trim()).key();
        job.dataset = DatasetKind.fromName(request.dataset().trim()).displayName();
        job.ipc = request.ipc();
        job.seed = request.seed();
        job.iterations = request.iterations();
        job.learningRate = request.learningRate();
        job.realPerClass = request.realPerClass();
        job.state = JobState.QUEUED;
        job.createdAt = Instant.now();
        job.submittedBy = actor.name();
        job.persist();
        engine.schedule(DistillationJob.WORK, job.id);
        return DistillationJobView.of(job);
    }

    /**
     * Ends a queued or running job at once, CANCELLED, its queued execution with it; a running one's worker stops at
     * its next progress report (which finds the job no longer running). Only its submitter or a maintainer may: anyone else gets a
     * ForbiddenException.
     */
    @Transactional
    public Optional<DistillationJobView> cancel(long id, Actor actor) {
        return DistillationJob.<DistillationJob>findByIdOptional(id).map(job -> {
            if (!actor.maintainer() && !actor.name().equals(job.submittedBy)) {
                throw new ForbiddenException("Only the distillation's submitter or a maintainer may cancel"
                        + " distillation #" + id + ".");
            }
            if (!job.state.ended()) {
                job.end(JobState.CANCELLED, null, Instant.now());
                job.claimedBy = null;
                engine.cancel(DistillationJob.WORK, id);
                audit.record(actor.name(), "cancel-distillation", "distillation", id, null);
            }
            return DistillationJobView.of(job);
        });
    }

    @Override
    public long activeJobs(String submitter) {
        return DistillationJob.countActive(submitter);
    }

    @Transactional
    public Optional<DistillationJobView> find(long id) {
        return DistillationJob.<DistillationJob>findByIdOptional(id).map(DistillationJobView::of);
    }

    @Transactional
    public List<DistillationJobView> list() {
        return DistillationJob.<DistillationJob>listAll(Sort.descending("id")).stream()
                .map(DistillationJobView::of).toList();
    }

    /** The request a job was queued with. */
    @Transactional
    public Request request(long id) {
        DistillationJob job = DistillationJob.findById(id);
        return new Request(job.method, job.dataset, job.ipc, job.seed, job.iterations, job.learningRate,
                job.realPerClass);
    }

    /**
     * Starts an attempt of job {@code id} on {@code instance}: the attempt's number, or empty when the job has ended
     * (cancelled meanwhile) and nothing is to be run.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Integer> start(long id, String instance) {
        DistillationJob job = DistillationJob.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (job == null || job.state.ended()) return Optional.empty();
        job.started(instance, Instant.now());
        job.progressDone = 0;
        return Optional.of(job.attempts);
    }

    /** Writes the progress of a job's attempt; false once that attempt no longer runs (cancelled, taken over). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean progress(long id, int attempt, int done, int total, String label) {
        return WorkItem.progress(DistillationJob.class, id, attempt, done, total, label);
    }

    /** Ends a running job with the set it made; a job cancelled meanwhile stays cancelled. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void succeed(long id, long datasetId) {
        DistillationJob job = DistillationJob.findById(id);
        if (job.state.ended()) return;
        job.end(JobState.SUCCEEDED, null, Instant.now());
        job.resultDatasetId = datasetId;
        job.progressDone = job.progressTotal;
    }

    /**
     * An attempt failed with {@code error}: a job whose failure is its input's ({@code final}) fails at once; any
     * other goes back to QUEUED with the reason, for the engine to run again or give up on ({@link #failedForGood}).
     * A job cancelled meanwhile stays cancelled.
     *
     * @return whether the job waits for another attempt
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean failed(long id, String error, boolean isFinal) {
        DistillationJob job = DistillationJob.findById(id);
        if (job.state.ended()) return false;
        if (isFinal) {
            job.end(JobState.FAILED, error, Instant.now());
            return false;
        }
        job.retry(error);
        return true;
    }

    /** The engine gave up on a job after its last attempt: it fails with that attempt's reason. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void failedForGood(long id) {
        DistillationJob job = DistillationJob.findById(id);
        if (job != null && !job.state.ended()) job.end(JobState.FAILED, job.errorMessage, Instant.now());
    }

    /** Back to QUEUED: this instance stopped while it ran the job, which the engine runs again from the start. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void stopped(long id) {
        WorkItem.requeue(DistillationJob.class, id);
    }
}
