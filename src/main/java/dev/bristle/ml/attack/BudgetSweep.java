package dev.bristle.ml.attack;

import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.AttackSuccess;
import dev.bristle.ml.metrics.Measurement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The sound protocol's view of robustness: one budget says little (at 8/255 on pixels BEARD's students are near 0 %,
 * at BEARD's effective budget they are not), so every budgeted attack runs at each budget of a grid and yields an
 * accuracy-versus-budget curve; the unbounded attacks (C&W, DeepFool) run once and yield the minimal perturbation
 * they found per image, hence a curve over the L2 grid and a median. The runs at the recorded budgets are kept for
 * RR, AE and CREI. The runs themselves are the attack stage's; this holds the grid and reads their results.
 */
public final class BudgetSweep {

    private BudgetSweep() {
    }

    /**
     * Budgets to sweep, in pixels.
     *
     * @param linf L-inf budgets, ascending
     * @param l2   L2 budgets, ascending
     */
    public record Grid(List<Double> linf, List<Double> l2) {

        /** 1, 2, 4 and 8 /255 for L-inf attacks; 0.125, 0.25 and 0.5 for L2. */
        public static final Grid DEFAULT = new Grid(List.of(1 / 255.0, 2 / 255.0, 4 / 255.0, 8 / 255.0),
                List.of(0.125, 0.25, 0.5));

        public Grid {
            linf = sorted(linf);
            l2 = sorted(l2);
        }

        public List<Double> of(Norm norm) {
            return norm == Norm.LINF ? linf : l2;
        }

        /** The budgets of {@code norm} and {@code eps}, ascending. */
        public List<Double> with(Norm norm, double eps) {
            List<Double> budgets = new ArrayList<>(of(norm));
            budgets.add(eps);
            return sorted(budgets);
        }

        private static List<Double> sorted(List<Double> budgets) {
            for (double eps : budgets) {
                if (!(eps >= 0) || Double.isInfinite(eps)) {
                    throw new InvalidInputException("budgets must be finite and non-negative, not " + eps);
                }
            }
            return budgets.stream().distinct().sorted().toList();
        }
    }

    /** Robust accuracy (%) at one budget. */
    public record Point(double eps, double accuracy) {
    }

    /**
     * Accuracy versus budget of one attack in one mode; the first point is eps 0 (the clean accuracy).
     *
     * @param measured true: one run per budget; false: read off the minimal perturbations of one unbounded run
     */
    public record Curve(String attack, AttackMode mode, Norm norm, boolean measured, List<Point> points) {
    }

    /**
     * The perturbations an unbounded attack needed, over the images classified correctly without attack; an image it
     * did not fool counts as needing an infinite one, so a median it never reached is infinite.
     *
     * @param medianL2   median L2 norm in pixels
     * @param medianLinf median L-inf norm in pixels
     * @param fooled     images it fooled among {@code attacked}
     * @param attacked   images classified correctly without attack
     */
    public record MinimalPerturbation(String attack, AttackMode mode, double medianL2, double medianLinf, int fooled,
                                      int attacked) {
    }

    /**
     * A model's sweep.
     *
     * @param curves  one per attack and mode
     * @param minimal one per unbounded attack and mode
     */
    public record Result(List<Curve> curves, List<MinimalPerturbation> minimal) {
    }

    /**
     * Accuracy at each of the L2 {@code budgets} had a minimal-perturbation attack been stopped there, read off its
     * measurement's per-image norms: an image counts as robust when it is classified correctly without attack
     * ({@code cleanCorrect}) and the attack either failed or needed more than the budget. Empty when the measurement
     * has no norms (a budgeted attack's) or there are no budgets.
     */
    public static List<Point> minimalCurve(boolean[] cleanCorrect, Measurement measured, List<Double> budgets) {
        double[] l2 = measured.images() == null ? null : measured.images().norm();
        if (l2 == null || budgets.isEmpty()) return List.of();
        boolean[] stillCorrect = AttackSuccess.parseCorrectness(measured.correct());
        List<Point> points = new ArrayList<>();
        for (double eps : budgets) {
            boolean[] robust = new boolean[cleanCorrect.length];
            for (int i = 0; i < robust.length; i++) {
                robust[i] = cleanCorrect[i] && (stillCorrect[i] || l2[i] > eps);
            }
            points.add(new Point(eps, AttackRun.percent(robust)));
        }
        return points;
    }

    public static MinimalPerturbation minimalPerturbation(AttackRun run) {
        boolean[] cleanCorrect = run.cleanCorrect();
        boolean[] stillCorrect = run.correct();
        List<Double> l2 = new ArrayList<>();
        List<Double> linf = new ArrayList<>();
        int fooled = 0;
        for (int i = 0; i < cleanCorrect.length; i++) {
            if (!cleanCorrect[i]) continue;
            boolean success = !stillCorrect[i];
            if (success) fooled++;
            l2.add(success ? run.l2()[i] : Double.POSITIVE_INFINITY);
            linf.add(success ? run.linf()[i] : Double.POSITIVE_INFINITY);
        }
        return new MinimalPerturbation(run.attack(), run.mode(), median(l2), median(linf), fooled, l2.size());
    }

    /** The median (mean of the middle two for an even count); NaN for none. */
    static double median(List<Double> values) {
        if (values.isEmpty()) return Double.NaN;
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        if (sorted.length % 2 == 1) return sorted[middle];
        double low = sorted[middle - 1];
        double high = sorted[middle];
        return Double.isInfinite(high) ? high : (low + high) / 2;
    }
}
