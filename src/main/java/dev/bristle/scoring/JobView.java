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
     * @param label    what it runs, with an attack task's shard of the test images
     * @param run      what it runs, the shard left out: an attack run's shards share it
     * @param state    queued, running, succeeded, failed or cancelled
     * @param instance the instance that ran it last; null while never started
     * @param attempts how often it was started
     */
    public record Task(long id, String kind, String label, String run, String state, String instance, int attempts,
                       int progressDone, int progressTotal, String progressLabel, Instant startedAt,
                       Instant finishedAt, String errorMessage) {
    }

    /**
     * The tasks of one piece of work as the job page lists them, an attack run's shards on one line, so that a job
     * of hundreds of tasks reads as its training, clean evaluations, attack runs and assembly.
     *
     * @param run       what the tasks run ("student 1: PGD untargeted")
     * @param tasks     how many tasks (an attack run's shards; 1 for any other work)
     * @param done      of them, how many succeeded
     * @param state     the work's state: failed or cancelled when one of its tasks is, succeeded when all are,
     *                  queued while none started, running otherwise
     * @param counts    its tasks per state when they are in more than one, "7 succeeded, 1 running, 2 queued";
     *                  null when all are in the same state (the state says it)
     * @param instances the instances that claimed its tasks, in the order of the tasks
     * @param retries   claims of its tasks beyond each task's first: 0 when no task had to be run again
     * @param notes     each running task's progress and each failed task's error, "; "-separated; null when none
     */
    public record TaskGroup(String run, int tasks, int done, String state, String counts, List<String> instances,
                            int retries, String notes) {
    }

    /** The job's tasks grouped by the work they run, in the order of their first task. */
    public List<TaskGroup> taskGroups() {
        Map<String, List<Task>> byRun = new java.util.LinkedHashMap<>();
        for (Task task : tasks) byRun.computeIfAbsent(task.run(), run -> new ArrayList<>()).add(task);
        List<TaskGroup> groups = new ArrayList<>();
        for (Map.Entry<String, List<Task>> run : byRun.entrySet()) groups.add(group(run.getKey(), run.getValue()));
        return groups;
    }

    private static TaskGroup group(String run, List<Task> tasks) {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        for (String state : List.of("failed", "cancelled", "running", "succeeded", "queued")) {
            long count = tasks.stream().filter(t -> t.state().equals(state)).count();
            if (count > 0) counts.put(state, count);
        }
        int done = counts.getOrDefault("succeeded", 0L).intValue();
        String state = counts.containsKey("failed") ? "failed" : counts.containsKey("cancelled") ? "cancelled"
                : done == tasks.size() ? "succeeded" : counts.getOrDefault("queued", 0L) == tasks.size() ? "queued"
                : "running";
        List<String> notes = new ArrayList<>();
        for (Task t : tasks) {
            String shard = tasks.size() == 1 ? "" : t.label().substring(t.run().length()).replaceFirst("^, ", "")
                    + ": ";
            if (t.state().equals("running") && t.progressTotal() > 0) {
                notes.add(shard + t.progressDone() + " of " + t.progressTotal()
                        + (t.progressLabel() == null ? "" : ": " + t.progressLabel()));
            } else if (t.errorMessage() != null) {
                notes.add(shard + t.errorMessage());
            }
        }
        String mixed = counts.size() < 2 ? null : counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(java.util.stream.Collectors.joining(", "));
        return new TaskGroup(run, tasks.size(), done, state, mixed, tasks.stream()
                .map(Task::instance).filter(java.util.Objects::nonNull).distinct().toList(),
                tasks.stream().mapToInt(t -> Math.max(0, t.attempts() - 1)).sum(),
                notes.isEmpty() ? null : String.join("; ", notes));
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

    /** A job with more attempts than this lists on its page only those that did not succeed. */
    private static final int LISTED_ATTEMPTS = 20;

    /**
     * The attempts the job page lists: all of them, or, for a job of many tasks, those that did not succeed (running,
     * failed, stopped, abandoned, cancelled); the JSON keeps every attempt.
     */
    public List<Attempt> listedAttempts() {
        if (attemptHistory.size() <= LISTED_ATTEMPTS) return attemptHistory;
        return attemptHistory.stream().filter(a -> !"succeeded".equals(a.outcome())).toList();
    }

    /** How many succeeded attempts the page leaves out of its list. */
    public int unlistedAttempts() {
        return attemptHistory.size() - listedAttempts().size();
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
