package dev.bristle.ml.train;

import dev.bristle.input.InvalidInputException;
import dev.bristle.keys.Keyed;
import dev.bristle.ml.attack.AttackBudgets;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.data.DatasetKind;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How each training batch is presented to the student: as it is (standard training), or replaced by PGD adversarial
 * examples of it (Madry et al., "Towards Deep Learning Models Resistant to Adversarial Attacks", ICLR 2018), as in
 * BEARD's Table 4. The recipe is part of a result's identity: students trained adversarially are never ranked beside
 * standard ones.
 *
 * <p>The PGD of training works in pixel space, like the sound protocol's attacks: an L-inf ball of radius
 * {@code eps} around each (augmented) training image, steps of {@code stepSize} along the gradient sign of the
 * cross-entropy, a uniformly random start in the ball. Unlike the attacks no [0, 1] box is applied: synthetic
 * images (DM's) are not pixels in [0, 1], and clamping them would change them by more than the budget.
 *
 * @param kind     standard or PGD adversarial training
 * @param eps      L-inf budget in pixels (0 for standard training)
 * @param steps    PGD steps per batch (0 for standard training)
 * @param stepSize PGD step size in pixels (0 for standard training)
 */
public record TrainingRecipe(Kind kind, double eps, int steps, double stepSize) {

    public enum Kind implements Keyed {
        STANDARD("standard"), PGD_AT("pgd-at");

        private final String key;

        Kind(String key) {
            this.key = key;
        }

        @Override
        public String key() {
            return key;
        }

        public static Kind fromKey(String key) {
            return Keyed.fromKey(Kind.class, key)
                    .orElseThrow(() -> new InvalidInputException("unknown training recipe '" + key
                            + "' (expected standard or pgd-at)"));
        }
    }

    public static final TrainingRecipe STANDARD = new TrainingRecipe(Kind.STANDARD, 0, 0, 0);

    /** Madry et al.'s default number of steps for their CIFAR-10 training is 7; 10 is the common choice since. */
    public static final int DEFAULT_STEPS = 10;

    public TrainingRecipe {
        if (kind == null) throw new IllegalArgumentException("a recipe needs a kind");
        if (kind == Kind.STANDARD && (eps != 0 || steps != 0 || stepSize != 0)) {
            throw new InvalidInputException("standard training has no budget, steps or step size");
        }
        if (kind == Kind.PGD_AT) {
            if (!(eps > 0 && eps <= 1)) throw new InvalidInputException("PGD budget must be in (0, 1], not " + eps);
            if (steps < 1) throw new InvalidInputException("PGD needs at least one step, not " + steps);
            if (!(stepSize > 0 && stepSize <= 1)) {
                throw new InvalidInputException("PGD step size must be in (0, 1], not " + stepSize);
            }
        }
    }

    /**
     * PGD adversarial training at {@code eps} with {@code steps} steps of 2.5 eps / steps (the step that lets PGD
     * reach the ball's boundary from any start, Madry et al.'s ratio).
     */
    public static TrainingRecipe pgd(double eps, int steps) {
        return new TrainingRecipe(Kind.PGD_AT, eps, steps, 2.5 * eps / steps);
    }

    /**
     * The recipe a job or command names by its key, at its defaults for {@code dataset}: PGD-AT at the dataset's
     * recorded L-inf budget of the sound protocol (pixels, where training's PGD works), {@link #DEFAULT_STEPS} steps.
     */
    public static TrainingRecipe of(String key, DatasetKind dataset) {
        return switch (Kind.fromKey(key)) {
            case STANDARD -> STANDARD;
            case PGD_AT -> pgd(AttackBudgets.of(AttackProtocol.SOUND, dataset).linf(), DEFAULT_STEPS);
        };
    }

    public boolean adversarial() {
        return kind == Kind.PGD_AT;
    }

    /** e.g. "standard" or "PGD-AT eps 0.1000, 10 steps of 0.0250". */
    public String describe() {
        return kind == Kind.STANDARD ? "standard" : String.format(Locale.ROOT, "PGD-AT eps %.4f, %d steps of %.4f",
                eps, steps, stepSize);
    }

    /** The recipe by name, for stored results. */
    public Map<String, Object> settings() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("recipe", kind.key());
        if (adversarial()) {
            map.put("adversarialEps", eps);
            map.put("adversarialSteps", steps);
            map.put("adversarialStepSize", stepSize);
        }
        return map;
    }
}
