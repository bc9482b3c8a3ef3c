package dev.bristle.ml.attack;

/** An attack broke a guarantee the sound protocol checks (budget, box, or eps = 0 changing a prediction). */
public final class AttackInvariantViolation extends IllegalStateException {

    public AttackInvariantViolation(String message) {
        super(message);
    }
}
