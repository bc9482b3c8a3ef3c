package dev.bristle.scoring;

import dev.bristle.charts.CurveChart;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.MetricReport;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A scoring job as the pages and the API show it.
 *
 * @param datasetId the pooled set whose students it trains, or null for a checkpoint evaluation
 * @param modelId   the model-pool checkpoint it evaluates, or null
 */
public record JobView(
        long id,
        Long datasetId,
        Long modelId,
        String subjectLabel,
        String state,
        String stage,
        int progressDone,
        int progressTotal,
        String progressLabel,
        JobSettings settings,
        JobResults results,
        String errorMessage,
        boolean cancelRequested,
        Instant heartbeatAt,
        int attempts,
        String claimedBy,
        List<Attempt> attemptHistory,
        List<Task> tasks,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        boolean ended,
        String url,
        String submittedBy) {

    /**
     * One claim of one of the job's tasks by an app instance.
     *
     * @param task    the task claimed ("train the students", "student 1: PGD untargeted", ...)
     * @param outcome null while it runs; else succeeded, failed, cancelled, stopped (its instance shut down and
     *                re-queued the task) or abandoned (re-queued after its instance restarted or went silent)
     * @param error   why a failed attempt failed
     */
    public record Attempt(int attempt, String instance, String task, Instant claimedAt, Instant endedAt,
                          String outcome, String error) {
    }

    /**
     * One piece of the job's work, claimed by any instance.
     *
     * @param kind     train, evaluate, attack or assemble
     * @param state    queued, running, succeeded, failed or cancelled
     * @param instance the instance that claimed it last; null while never claimed
     * @param attempts how often it was claimed
     */
    public record Task(long id, String kind, String label, String state, String instance, int attempts,
                       int progressDone, int progressTotal, String progressLabel, Instant startedAt,
                       Instant finishedAt, String errorMessage) {
    }

    /** The instances that ran a part of the job, in the order of their first claim. */
    public List<String> instances() {
        return attemptHistory.stream().map(Attempt::instance).distinct().toList();
    }

    /** The page of what the job measures: its pooled set or its checkpoint. */
    public String subjectUrl() {
        return modelId != null ? "/models/" + modelId : "/datasets/" + datasetId;
    }

    /** The job's accuracy-versus-budget curves as an SVG chart; null when it ran without a budget grid. */
    public String curvesSvg() {
        return results.curves() == null ? null
                : CurveChart.ofCurves("Accuracy versus budget, mean over the students", results.curves());
    }

    /** Percent of the current stage done, 0 to 100. */
    public int percent() {
        return progressTotal <= 0 ? 0 : (int) Math.min(100, Math.round(100.0 * progressDone / progressTotal));
    }

    /** CREI per mode, as "untargeted: CREI 12.34, RRM .., AEM .."; empty without attacks. */
    public List<String> creiByMode() {
        List<String> lines = new ArrayList<>();
        if (results.metrics() == null) return lines;
        for (Map.Entry<AttackMode, MetricReport> e : results.metrics().entrySet()) {
            MetricReport r = e.getValue();
            lines.add(e.getKey().key() + ": CREI " + format(r.crei()) + ", RRM " + format(r.rr()) + ", AEM "
                    + format(r.ae()));
        }
        return lines;
    }

    private static String format(Double value) {
        return value == null ? "—" : String.format(Locale.ROOT, "%.2f", value);
    }
}
