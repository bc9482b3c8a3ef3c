package dev.bristle.ml.evidence;

import dev.bristle.ml.attack.Budget;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.Measurement;

/**
 * What the evidence of one attack in one mode is computed from.
 *
 * @param executed    false where the protocol scored the clean images instead (BEARD's targeted DeepFool and
 *                    AutoAttack): such a row says nothing about the attack and raises no flag
 * @param budget      the attack's budget, null for unbounded attacks (C&W, DeepFool)
 * @param measurement its accuracy, cost and per-image results
 */
public record AttackFacts(AttackMode mode, boolean executed, Budget budget, Measurement measurement) {

    public String attack() {
        return measurement.attack();
    }

    public double accuracy() {
        return measurement.accuracy();
    }

    /** Whether this and {@code other} ran at the same budget (same norm and eps). */
    boolean sameBudget(AttackFacts other) {
        return budget != null && other.budget != null && budget.norm() == other.budget.norm()
                && Math.abs(budget.eps() - other.budget.eps()) <= 1e-12;
    }
}
