package dev.bristle.ml.evidence;

import dev.bristle.ml.attack.BudgetSweep;
import dev.bristle.ml.attack.GradientCensus;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.Measurement;

import java.util.ArrayList;
import java.util.List;

/**
 * What one model's (one student's) results show beyond its metrics: per-class clean and robust accuracy with the
 * fairness figures, the worst case over the attacks per mode, the zero-gradient census and the sanity flags.
 *
 * @param label         which model, for readers ("student 1", a file name)
 * @param images        test images
 * @param cleanAccuracy clean accuracy in percent
 * @param cleanPerClass clean accuracy per class; null without per-image results
 * @param attacks       every attack in every mode
 * @param worstCase     per mode, the worst case over its attacks (modes whose attacks all have per-image results)
 * @param gradients     the zero-gradient census at the clean point; null when not taken
 * @param flags         the raised sanity checks
 */
public record ModelEvidence(String label, int images, double cleanAccuracy, ClassAccuracy cleanPerClass,
                            List<AttackEvidence> attacks, List<WorstCase> worstCase, GradientCensus gradients,
                            List<SanityFlag> flags) {

    public ModelEvidence {
        attacks = List.copyOf(attacks);
        worstCase = List.copyOf(worstCase);
        flags = List.copyOf(flags);
    }

    /**
     * @param labels    true class per test image
     * @param classes   the class count
     * @param clean     the clean pass
     * @param attacks   every attack in every mode at the recorded budgets
     * @param curves    this model's accuracy-versus-budget curves (may be empty)
     * @param gradients the zero-gradient census, or null
     */
    public static ModelEvidence of(String label, int[] labels, int classes, Measurement clean,
                                   List<AttackFacts> attacks, List<BudgetSweep.Curve> curves,
                                   GradientCensus gradients) {
        List<AttackEvidence> rows = new ArrayList<>();
        for (AttackFacts facts : attacks) {
            Measurement m = facts.measurement();
            rows.add(new AttackEvidence(m.attack(), facts.mode(), facts.executed(), facts.budget(), m.accuracy(),
                    m.seconds(), m.passes(), m.correct() == null ? null
                    : ClassAccuracy.of(labels, m.correct(), classes)));
        }
        List<WorstCase> worstCase = new ArrayList<>();
        if (clean.correct() != null) {
            for (AttackMode mode : attacks.stream().map(AttackFacts::mode).distinct().toList()) {
                List<AttackFacts> inMode = attacks.stream().filter(a -> a.mode() == mode).toList();
                if (inMode.stream().anyMatch(a -> a.measurement().correct() == null)) continue;
                worstCase.add(WorstCase.of(mode, labels, classes, clean.correct(),
                        inMode.stream().map(AttackFacts::attack).toList(),
                        inMode.stream().map(a -> a.measurement().correct()).toList()));
            }
        }
        return new ModelEvidence(label, labels.length, clean.accuracy(), clean.correct() == null ? null
                : ClassAccuracy.of(labels, clean.correct(), classes), rows, worstCase, gradients,
                SanityChecks.check(clean.accuracy(), attacks, curves, gradients));
    }
}
