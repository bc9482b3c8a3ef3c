package dev.bristle.distilling;

import dev.bristle.text.ServerPaths;

import java.time.Instant;

/**
 * A distillation job as pages and the API show it.
 *
 * @param iterations   as asked; null: the method's default
 * @param resultUrl    the page of the pooled set it made; null until it succeeds
 */
public record DistillationJobView(long id, String url, String method, String dataset, int ipc, long seed,
                                  Integer iterations, Double learningRate, Integer realPerClass, String state,
                                  int progressDone, int progressTotal, String progressLabel, Long resultDatasetId,
                                  String resultUrl, String errorMessage, int attempts, String claimedBy,
                                  Instant createdAt, Instant startedAt, Instant finishedAt, String submittedBy) {

    /** A job's row as shown; an error stored before its writer cut server paths has them cut to file names. */
    static DistillationJobView of(DistillationJob job) {
        return new DistillationJobView(job.id, "/distillations/" + job.id, job.method, job.dataset, job.ipc, job.seed,
                job.iterations, job.learningRate, job.realPerClass, job.state.name().toLowerCase(java.util.Locale.ROOT),
                job.progressDone, job.progressTotal, job.progressLabel, job.resultDatasetId,
                job.resultDatasetId == null ? null : "/datasets/" + job.resultDatasetId, ServerPaths.hide(job.errorMessage),
                job.attempts, job.claimedBy, job.createdAt, job.startedAt, job.finishedAt, job.submittedBy);
    }

    public boolean ended() {
        return state.equals("succeeded") || state.equals("failed") || state.equals("cancelled");
    }

    /** Percent done, for the progress bar. */
    public int percent() {
        return progressTotal == 0 ? 0 : (int) Math.min(100, 100L * progressDone / progressTotal);
    }
}
