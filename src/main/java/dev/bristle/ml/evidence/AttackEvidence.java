package dev.bristle.ml.evidence;

import dev.bristle.ml.attack.Budget;
import dev.bristle.ml.metrics.AttackMode;

/**
 * One attack in one mode as a model's evidence shows it.
 *
 * @param budget         the attack's budget; null for unbounded attacks
 * @param seconds        wall time of the pass; null where not recorded
 * @param passesPerImage model passes per image (forward + backward, scoring included); null where not recorded
 * @param perClass       robust accuracy per class with its fairness figures; null without per-image results
 */
public record AttackEvidence(String attack, AttackMode mode, boolean executed, Budget budget, double accuracy,
                             Double seconds, Double passesPerImage, ClassAccuracy perClass) {
}
