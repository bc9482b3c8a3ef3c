package dev.bristle.ml.metrics;

import java.util.List;

/**
 * RR, AE and CREI of a set of students in one mode, with the inputs of each formula so a reader can check them.
 * A metric is null when it is undefined for these inputs; {@link #notes()} says why.
 *
 * @param attacks  the attacks whose measurements were pooled
 * @param excluded attacks left out (no targeted mode), with their measurements ignored
 */
public record MetricReport(
        AttackMode mode,
        double alpha,
        List<String> students,
        List<String> attacks,
        List<String> excluded,
        RobustnessInputs robustness,
        EfficiencyInputs efficiency,
        Double rr,
        Double ae,
        Double crei,
        List<String> notes) {

    /** Inputs of RR = 100 * (1 - (meanClean - meanAttack) / (meanClean - minAttack)), accuracies in percent. */
    public record RobustnessInputs(double meanClean, double meanAttack, double minAttack, int measurements) {
    }

    /**
     * Inputs of AE = 100 * (meanAttack - meanClean) / (maxAttack - meanClean), costs on {@code basis}: seconds
     * (BEARD) or model passes per image.
     */
    public record EfficiencyInputs(EfficiencyBasis basis, double meanClean, double meanAttack, double maxAttack) {
    }
}
