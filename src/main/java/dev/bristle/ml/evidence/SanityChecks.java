package dev.bristle.ml.evidence;

import dev.bristle.ml.attack.Budget;
import dev.bristle.ml.attack.BudgetSweep;
import dev.bristle.ml.attack.GradientCensus;
import dev.bristle.ml.attack.Norm;
import dev.bristle.ml.metrics.AttackMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Computes the {@link SanityCheck}s of one model's results. Comparisons are strict: equal accuracies raise nothing.
 * The uniform-noise baseline is not an attack: it raises no flag of its own and is only compared against.
 */
public final class SanityChecks {

    /** Above this share of images with a zero input gradient, the zero-gradient check is raised. */
    public static final double ZERO_GRADIENT_PERCENT = 1.0;
    /** Each iterative attack and the one-step attack it must beat at the same budget. */
    static final Map<String, String> ONE_STEP_COUNTERPART = Map.of("PGD", "FGSM", "AutoAttack", "FGSM");
    static final Set<String> BLACK_BOX = Set.of("Square", "SPSA");
    static final String NOISE = "Noise";

    private SanityChecks() {
    }

    /**
     * @param cleanAccuracy clean accuracy in percent
     * @param attacks       every attack in every mode, at the recorded budgets
     * @param curves        accuracy versus budget of this model (the first point the clean accuracy); may be empty
     * @param gradients     the zero-gradient census at the clean point; null when not taken
     */
    public static List<SanityFlag> check(double cleanAccuracy, List<AttackFacts> attacks,
                                         List<BudgetSweep.Curve> curves, GradientCensus gradients) {
        List<SanityFlag> flags = new ArrayList<>();
        List<AttackFacts> executed = attacks.stream().filter(AttackFacts::executed).toList();
        for (AttackMode mode : executed.stream().map(AttackFacts::mode).distinct().toList()) {
            List<AttackFacts> inMode = executed.stream().filter(a -> a.mode() == mode).toList();
            iterativeWeaker(mode, inMode, curves, flags);
            blackBoxStronger(mode, inMode, flags);
            aboveClean(mode, inMode, cleanAccuracy, flags);
            noiseStronger(mode, inMode, flags);
        }
        risesWithBudget(curves, flags);
        if (gradients != null && gradients.zeroPercent() > ZERO_GRADIENT_PERCENT) {
            flags.add(new SanityFlag(SanityCheck.ZERO_GRADIENTS, null, List.of(), String.format(Locale.ROOT,
                    "%d of %d images (%.2f %%) have an input gradient of zero at the clean point (images %s%s):"
                            + " gradient-based attacks cannot move them", gradients.zero(), gradients.images(),
                    gradients.zeroPercent(), gradients.examples().stream().map(String::valueOf)
                            .collect(Collectors.joining(", ")), gradients.zero() > gradients.examples().size()
                            ? ", ..." : "")));
        }
        return flags;
    }

    private static void iterativeWeaker(AttackMode mode, List<AttackFacts> attacks, List<BudgetSweep.Curve> curves,
                                        List<SanityFlag> flags) {
        for (AttackFacts iterative : attacks) {
            String oneStepName = ONE_STEP_COUNTERPART.get(iterative.attack());
            if (oneStepName == null) continue;
            for (AttackFacts oneStep : attacks) {
                if (oneStep.attack().equals(oneStepName) && iterative.sameBudget(oneStep)
                        && iterative.accuracy() > oneStep.accuracy()) {
                    flags.add(new SanityFlag(SanityCheck.ITERATIVE_WEAKER_THAN_ONE_STEP, mode,
                            List.of(iterative.attack(), oneStepName), String.format(Locale.ROOT,
                            "%s: %s leaves %.2f %% correct, %s %.2f %% at %s", mode.key(), iterative.attack(),
                            iterative.accuracy(), oneStepName, oneStep.accuracy(), budget(iterative.budget()))));
                }
            }
            curve(curves, iterative.attack(), mode).ifPresent(iterativeCurve ->
                    curve(curves, oneStepName, mode).ifPresent(oneStepCurve -> {
                        for (BudgetSweep.Point point : iterativeCurve.points()) {
                            if (point.eps() == 0 || iterative.budget() != null
                                    && point.eps() == iterative.budget().eps()) {
                                continue;
                            }
                            for (BudgetSweep.Point other : oneStepCurve.points()) {
                                if (other.eps() == point.eps() && point.accuracy() > other.accuracy()) {
                                    flags.add(new SanityFlag(SanityCheck.ITERATIVE_WEAKER_THAN_ONE_STEP, mode,
                                            List.of(iterative.attack(), oneStepName), String.format(Locale.ROOT,
                                            "%s: %s leaves %.2f %% correct, %s %.2f %% at %s", mode.key(),
                                            iterative.attack(), point.accuracy(), oneStepName, other.accuracy(),
                                            budget(new Budget(iterativeCurve.norm(), point.eps())))));
                                }
                            }
                        }
                    }));
        }
    }

    private static void blackBoxStronger(AttackMode mode, List<AttackFacts> attacks, List<SanityFlag> flags) {
        for (AttackFacts blackBox : attacks) {
            if (!BLACK_BOX.contains(blackBox.attack())) continue;
            List<AttackFacts> whiteBox = attacks.stream().filter(a -> !BLACK_BOX.contains(a.attack())
                    && !a.attack().equals(NOISE) && a.sameBudget(blackBox)).toList();
            if (whiteBox.isEmpty()) continue;
            if (whiteBox.stream().allMatch(w -> blackBox.accuracy() < w.accuracy())) {
                flags.add(new SanityFlag(SanityCheck.BLACK_BOX_STRONGER_THAN_WHITE_BOX, mode,
                        names(blackBox, whiteBox), String.format(Locale.ROOT,
                        "%s: %s leaves %.2f %% correct, below every white-box attack at %s (%s): the gradients may"
                                + " be masked", mode.key(), blackBox.attack(), blackBox.accuracy(),
                        budget(blackBox.budget()), accuracies(whiteBox))));
            }
        }
    }

    private static void aboveClean(AttackMode mode, List<AttackFacts> attacks, double clean, List<SanityFlag> flags) {
        for (AttackFacts attack : attacks) {
            if (!attack.attack().equals(NOISE) && attack.accuracy() > clean) {
                flags.add(new SanityFlag(SanityCheck.ATTACK_ABOVE_CLEAN, mode, List.of(attack.attack()),
                        String.format(Locale.ROOT, "%s: %s leaves %.2f %% correct, above the clean accuracy %.2f %%",
                                mode.key(), attack.attack(), attack.accuracy(), clean)));
            }
        }
    }

    private static void noiseStronger(AttackMode mode, List<AttackFacts> attacks, List<SanityFlag> flags) {
        for (AttackFacts noise : attacks) {
            if (!noise.attack().equals(NOISE)) continue;
            for (AttackFacts attack : attacks) {
                if (!attack.attack().equals(NOISE) && attack.sameBudget(noise) && noise.accuracy() < attack.accuracy()) {
                    flags.add(new SanityFlag(SanityCheck.NOISE_STRONGER_THAN_ATTACK, mode,
                            List.of(attack.attack(), NOISE), String.format(Locale.ROOT,
                            "%s: uniform noise leaves %.2f %% correct at %s, %s %.2f %%", mode.key(),
                            noise.accuracy(), budget(noise.budget()), attack.attack(), attack.accuracy())));
                }
            }
        }
    }

    private static void risesWithBudget(List<BudgetSweep.Curve> curves, List<SanityFlag> flags) {
        for (BudgetSweep.Curve curve : curves) {
            if (curve.attack().equals(NOISE)) continue;
            List<BudgetSweep.Point> points = curve.points();
            for (int k = 1; k < points.size(); k++) {
                BudgetSweep.Point before = points.get(k - 1);
                BudgetSweep.Point after = points.get(k);
                if (after.accuracy() > before.accuracy()) {
                    flags.add(new SanityFlag(SanityCheck.ACCURACY_RISES_WITH_BUDGET, curve.mode(),
                            List.of(curve.attack()), String.format(Locale.ROOT,
                            "%s: %s leaves %.2f %% correct at %s, more than %.2f %% at %s", curve.mode().key(),
                            curve.attack(), after.accuracy(), budget(new Budget(curve.norm(), after.eps())),
                            before.accuracy(), before.eps() == 0 ? "no perturbation"
                                    : budget(new Budget(curve.norm(), before.eps())))));
                }
            }
        }
    }

    private static java.util.Optional<BudgetSweep.Curve> curve(List<BudgetSweep.Curve> curves, String attack,
                                                               AttackMode mode) {
        return curves.stream().filter(c -> c.attack().equals(attack) && c.mode() == mode && c.measured()).findFirst();
    }

    private static List<String> names(AttackFacts first, List<AttackFacts> others) {
        List<String> names = new ArrayList<>();
        names.add(first.attack());
        others.forEach(o -> names.add(o.attack()));
        return names;
    }

    private static String accuracies(List<AttackFacts> attacks) {
        return attacks.stream().map(a -> String.format(Locale.ROOT, "%s %.2f %%", a.attack(), a.accuracy()))
                .collect(Collectors.joining(", "));
    }

    /** e.g. "L-inf 1/255" or "L2 0.25". */
    static String budget(Budget budget) {
        if (budget.norm() == Norm.LINF) {
            return "L-inf " + trim(budget.eps() * 255) + "/255";
        }
        return "L2 " + trim(budget.eps());
    }

    private static String trim(double value) {
        return String.format(Locale.ROOT, "%.4f", value).replaceAll("\\.?0+$", "");
    }
}
