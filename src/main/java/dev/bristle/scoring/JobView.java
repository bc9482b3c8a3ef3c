package dev.bristle.scoring;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bristle.charts.CurveChart;
import dev.bristle.ml.attack.BudgetSweep;

import java.time.Instant;
import java.util.Map;

/** A scoring job as the pages and the API show it. */
public record JobView(
        long id,
        long datasetId,
        String datasetLabel,
        String state,
        String stage,
        int progressDone,
        int progressTotal,
        String progressLabel,
        Map<String, Object> settings,
        Map<String, Object> results,
        String errorMessage,
        boolean cancelRequested,
        Instant heartbeatAt,
        int attempts,
        String claimedBy,
        java.util.List<Attempt> attemptHistory,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        boolean ended,
        String url,
        String submittedBy) {

    /**
     * One claim of the job by an app instance.
     *
     * @param outcome null while it runs; else succeeded, failed, cancelled, stopped (its instance shut down and
     *                re-queued the job) or abandoned (re-queued after its instance restarted or went silent)
     */
    public record Attempt(int attempt, String instance, Instant claimedAt, Instant endedAt, String outcome) {
    }

    /** Key of the job's accuracy-versus-budget curves (the mean over its students) in its results. */
    public static final String CURVES = "curves";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The job's accuracy-versus-budget curves as an SVG chart; null when it ran without a budget grid. */
    public String curvesSvg() {
        if (!(results.get(CURVES) instanceof java.util.List<?> stored)) return null;
        java.util.List<BudgetSweep.Curve> curves = JSON.convertValue(stored, new TypeReference<>() {
        });
        return CurveChart.ofCurves("Accuracy versus budget, mean over the students", curves);
    }

    /** Percent of the current stage done, 0 to 100. */
    public int percent() {
        return progressTotal <= 0 ? 0 : (int) Math.min(100, Math.round(100.0 * progressDone / progressTotal));
    }

    public Double meanCleanAccuracy() {
        return results.get("meanCleanAccuracy") instanceof Number n ? n.doubleValue() : null;
    }

    public Double cleanAccuracyStd() {
        return results.get("cleanAccuracyStd") instanceof Number n ? n.doubleValue() : null;
    }

    /** What publishing the metrics did, one line per mode. */
    @SuppressWarnings("unchecked")
    public java.util.List<String> published() {
        return results.get("published") instanceof java.util.List<?> lines ? (java.util.List<String>) lines
                : java.util.List.of();
    }

    /** CREI per mode, as "targeted: 12.34"; empty without attacks. */
    public java.util.List<String> creiByMode() {
        java.util.List<String> lines = new java.util.ArrayList<>();
        if (results.get("metrics") instanceof Map<?, ?> metrics) {
            metrics.forEach((mode, report) -> {
                if (report instanceof Map<?, ?> r) {
                    lines.add(String.valueOf(mode).toLowerCase() + ": CREI " + format(r.get("crei")) + ", RRM "
                            + format(r.get("rr")) + ", AEM " + format(r.get("ae")));
                }
            });
        }
        return lines;
    }

    private static String format(Object value) {
        return value instanceof Number n ? String.format(java.util.Locale.ROOT, "%.2f", n.doubleValue()) : "—";
    }

    /** A text result by name, or null. */
    public String result(String name) {
        Object value = results.get(name);
        return value == null ? null : value.toString();
    }
}
