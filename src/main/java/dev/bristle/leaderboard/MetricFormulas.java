package dev.bristle.leaderboard;

import dev.bristle.ml.metrics.EfficiencyBasis;
import dev.bristle.ml.metrics.MetricReport;

import java.util.Locale;

/** A {@link MetricReport}'s numbers written out as the formulas that produced them. */
final class MetricFormulas {

    private MetricFormulas() {
    }

    /** e.g. "RRM = 100 × (1 − (69.95 − 28.57) / (69.95 − 8.31)) = 32.87" */
    static String robustness(String name, MetricReport report) {
        MetricReport.RobustnessInputs in = report.robustness();
        if (in == null || report.rr() == null) {
            return name + " undefined: no attack results";
        }
        if (in.meanClean() - in.minAttack() == 0) {
            return name + " = 0 (mean clean accuracy " + f(in.meanClean()) + " − min attack accuracy "
                    + f(in.minAttack()) + " is 0)";
        }
        return name + " = 100 × (1 − (" + f(in.meanClean()) + " − " + f(in.meanAttack()) + ") / ("
                + f(in.meanClean()) + " − " + f(in.minAttack()) + ")) = " + f(report.rr());
    }

    /** e.g. "AEM = 100 × (312.45 − 2.31) / (1234.50 − 2.31) = 24.10" */
    static String efficiency(String name, MetricReport report) {
        MetricReport.EfficiencyInputs in = report.efficiency();
        if (in == null || report.ae() == null) {
            boolean passes = report.notes().stream().anyMatch(n -> n.startsWith("a pass count is missing"));
            return name + " undefined: " + (passes ? "a pass count" : "a wall time") + " is missing";
        }
        boolean time = in.basis() == EfficiencyBasis.WALL_TIME;
        String unit = " " + in.basis().unit();
        String cost = time ? "time" : "pass count";
        if (in.maxAttack() - in.meanClean() <= 0) {
            return name + " = 0 (max attack " + cost + " " + f(in.maxAttack()) + unit + " is not above the clean "
                    + cost + " " + f(in.meanClean()) + unit + ")";
        }
        if (in.meanAttack() < in.meanClean()) {
            return name + " = 0 (mean attack " + cost + " " + f(in.meanAttack()) + unit + " is below the clean "
                    + cost + " " + f(in.meanClean()) + unit + ")";
        }
        return name + " = 100 × (" + f(in.meanAttack()) + " − " + f(in.meanClean()) + ") / ("
                + f(in.maxAttack()) + " − " + f(in.meanClean()) + ") = " + f(report.ae())
                + (time ? "" : " (model passes per image)");
    }

    /** e.g. "CREI = 0.5 × 32.87 + 0.5 × 24.10 = 28.48" */
    static String crei(MetricReport report) {
        if (report.crei() == null) {
            return "CREI undefined: " + (report.rr() == null ? "RR" : "AE") + " is undefined";
        }
        return "CREI = " + alpha(report.alpha()) + " × " + f(report.rr()) + " + " + alpha(1 - report.alpha())
                + " × " + f(report.ae()) + " = " + f(report.crei());
    }

    static String f(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String alpha(double value) {
        return String.format(Locale.ROOT, "%s", value).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }
}
