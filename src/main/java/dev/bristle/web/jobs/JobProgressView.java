package dev.bristle.web.jobs;

import dev.bristle.ml.metrics.Measurement;
import dev.bristle.scoring.JobResults;
import dev.bristle.scoring.JobView;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a job page shows while the job runs and after: a results table that fills in as students are trained and
 * attacked (student x attack x mode, with clean accuracy), and an estimate of the time left from the rates measured
 * so far.
 *
 * @param columns  one per attack and mode the job runs
 * @param rows     one per student, then the mean over the students measured
 * @param measured how many cells (clean or attack) are filled
 * @param estimate the time left in words; null when the job ended or nothing has been measured to go by
 */
record JobProgressView(List<Column> columns, List<Row> rows, int measured, String estimate) {

    record Column(String mode, String attack) {
    }

    /**
     * @param label "student 1" for the student of index 0 (as the job's tasks name it), or the mean; cells in the
     *              order of the columns, null where not measured yet
     */
    record Row(String label, boolean mean, Double clean, List<Double> cells) {
    }

    static JobProgressView of(JobView job, Instant now) {
        List<Column> columns = new ArrayList<>();
        for (String mode : job.settings().modes()) {
            for (String attack : job.settings().attacks()) columns.add(new Column(mode, attack));
        }
        JobResults results = job.results();
        int students = job.modelId() != null ? 1 : job.settings().students();
        List<Row> rows = new ArrayList<>();
        int measured = 0;
        double[] sums = new double[columns.size() + 1];
        int[] counts = new int[columns.size() + 1];
        for (int s = 0; s < students; s++) {
            Double clean = results.clean().get(s);
            Map<String, Map<String, Measurement>> byMode = results.attacks().getOrDefault(s, Map.of());
            List<Double> cells = new ArrayList<>();
            for (int c = 0; c < columns.size(); c++) {
                Measurement m = byMode.getOrDefault(columns.get(c).mode(), Map.of()).get(columns.get(c).attack());
                cells.add(m == null ? null : m.accuracy());
                if (m != null) {
                    sums[c + 1] += m.accuracy();
                    counts[c + 1]++;
                }
            }
            if (clean != null) {
                sums[0] += clean;
                counts[0]++;
            }
            measured += (clean == null ? 0 : 1) + (int) cells.stream().filter(java.util.Objects::nonNull).count();
            rows.add(new Row("student " + (s + 1), false, clean, cells));
        }
        if (students > 1 && counts[0] > 0) {
            List<Double> means = new ArrayList<>();
            for (int c = 1; c <= columns.size(); c++) means.add(counts[c] == 0 ? null : sums[c] / counts[c]);
            rows.add(new Row("mean of those measured", true, sums[0] / counts[0], means));
        }
        return new JobProgressView(columns, rows, measured, job.ended() ? null : estimate(job, now));
    }

    /**
     * Training: the epochs' rate since the job started. Attacks: the wall time of the attack runs measured so far
     * per test image attacked, times the images left. Clean evaluation is short: no estimate.
     */
    static String estimate(JobView job, Instant now) {
        if (job.stage() == null || job.progressDone() <= 0 || job.progressTotal() <= job.progressDone()) return null;
        int left = job.progressTotal() - job.progressDone();
        switch (job.stage()) {
            case "TRAINING" -> {
                if (job.startedAt() == null) return null;
                double seconds = Duration.between(job.startedAt(), now).toMillis() / 1000.0;
                return "training: about " + duration(seconds * left / job.progressDone()) + " left, from "
                        + job.progressDone() + " epochs so far; the attacks' time is estimated once they start";
            }
            case "ATTACKS" -> {
                double seconds = 0;
                int runs = 0;
                for (Map<String, Map<String, Measurement>> byMode : job.results().attacks().values()) {
                    for (Map<String, Measurement> byAttack : byMode.values()) {
                        for (Measurement m : byAttack.values()) {
                            if (m.seconds() != null && !"Clean".equals(m.attack())) {
                                seconds += m.seconds();
                                runs++;
                            }
                        }
                    }
                }
                if (runs == 0) return null;
                return "about " + duration(seconds / job.progressDone() * left) + " left, from the " + runs
                        + " attack run" + (runs == 1 ? "" : "s") + " measured so far";
            }
            default -> {
                return null;
            }
        }
    }

    /** "45 s", "3 min", "2 h 10 min". */
    static String duration(double seconds) {
        long s = Math.max(1, Math.round(seconds));
        if (s < 90) return s + " s";
        long minutes = Math.round(s / 60.0);
        if (minutes < 90) return minutes + " min";
        return String.format(Locale.ROOT, "%d h %d min", minutes / 60, minutes % 60);
    }
}
