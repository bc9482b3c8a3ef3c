package dev.bristle.published;

/**
 * One published number set against the value the metric engine recomputes from the published logs.
 *
 * @param source     where the published number stands ("leaderboard", "paper Table 2", ...)
 * @param recomputed null when the check was skipped
 * @param difference recomputed - published, null when skipped
 * @param reason     why a check was skipped, else null
 */
public record RegressionCheck(
        String source,
        String dataset,
        String ipc,
        String mode,
        String method,
        String metric,
        double published,
        Double recomputed,
        Double difference,
        Status status,
        String reason) {

    public enum Status { PASS, FAIL, SKIPPED }
}
