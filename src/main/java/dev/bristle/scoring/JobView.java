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
 * @param datasetId     the pooled set whose students it trains, or null for a checkpoint evaluation
 * @param modelId       the model-pool checkpoint it evaluates, or null
 * @param stage         the pipeline stage it is in: TRAINING, CLEAN_EVALUATION or ATTACKS; null before it starts
 * @param progressDone  the stage's step: while training, the epochs trained over all students; after, the
 *                      measurement phase's tasks done ({@link #overall()} counts the whole job's)
 * @param progressTotal of progressDone
 * @param overall       how far the whole job is, over all its tasks
 * @param results       what it measured; its maps are keyed by student index, from 0 (the student a page and a task's
 *                      label call "student 1" is index 0)
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
        Progress overall,
        JobSettings settings,
        JobResults results,
        String errorMessage,
        boolean cancelRequested,
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
     * One attempt at one of the job's tasks by an app instance.
     *
     * @param task    the task attempted ("train the students", "student 1: PGD untargeted", ...)
     * @param outcome null while it runs; else succeeded, failed, cancelled, stopped (its instance shut down and
     *                re-queued the task) or abandoned (re-queued after its instance restarted or went silent)
     * @param error   why a failed attempt failed
     */
    public record Attempt(int attempt, String instance, String task, Instant claimedAt, Instant endedAt,
                          String outcome, String error) {
    }

    /**
     * One piece of the job's work, run by any instance.
     *
     * @param kind     train, evaluate, attack or assemble
     * @param state    queued, running, succeeded, failed or cancelled
     * @param instance the instance that ran it last; null while never started
     * @param attempts how often it was started
     */
    public record Task(long id, String kind, String label, String state, String instance, int attempts,
                       int progressDone, int progressTotal, String progressLabel, Instant startedAt,
                       Instant finishedAt, String errorMessage) {
    }

    /**
     * How far a job is over all its work: its tasks done of all its tasks, and the phase it is in with that phase's
     * tasks done of its tasks. A job that ended early stays in the phase it stopped in.
     *
     * @param phase  the current phase's number among the job's phases, from 1; 0 for a job without tasks
     * @param phases how many phases the job has: 3, or 2 for a checkpoint evaluation (no training)
     * @param phaseKind the current phase; null for a job without tasks
     */
    public record Progress(int tasksDone, int tasksTotal, int phase, int phases, JobPhase phaseKind,
                           int phaseTasksDone, int phaseTasksTotal) {

        /** Percent of the job's tasks done, 0 to 100. */
        public int percent() {
            return tasksTotal <= 0 ? 0 : (int) Math.round(100.0 * tasksDone / tasksTotal);
        }
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
