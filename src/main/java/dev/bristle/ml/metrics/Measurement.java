package dev.bristle.ml.metrics;

import java.util.List;

/**
 * One pass of one student over a test set: the clean pass or one attack.
 *
 * @param attack   the attack's name ("Clean" for the clean pass)
 * @param accuracy accuracy in percent
 * @param seconds  wall time of the pass in seconds, or null where it was not recorded
 * @param passes   model passes (forward + backward) per image, the scoring pass included (1 for the clean pass), or
 *                 null where they were not recorded (published logs)
 * @param correct  one character per test image in data order, '1' = classified correctly after the pass; null where
 *                 per-image results were not recorded
 * @param images   per image, the prediction, passes and (minimal-perturbation attacks) perturbation norm; null where
 *                 not recorded (published logs, results stored before they were kept)
 * @param batchSizes the batch sizes the attack's model passes ran at, ascending; null where not recorded
 */
public record Measurement(String attack, double accuracy, Double seconds, Double passes, String correct,
                          ImageResults images, List<Integer> batchSizes) {

    public static final String CLEAN = "Clean";

    public Measurement {
        if (!Double.isFinite(accuracy) || accuracy < 0 || accuracy > 100) {
            throw new IllegalArgumentException(attack + ": accuracy must be a percentage in [0, 100], got " + accuracy);
        }
        if (seconds != null && (!Double.isFinite(seconds) || seconds < 0)) {
            throw new IllegalArgumentException(attack + ": seconds must be finite and non-negative, got " + seconds);
        }
        if (passes != null && (!Double.isFinite(passes) || passes < 0)) {
            throw new IllegalArgumentException(attack + ": passes must be finite and non-negative, got " + passes);
        }
        if (correct != null && !correct.chars().allMatch(c -> c == '0' || c == '1')) {
            throw new IllegalArgumentException(attack + ": per-image correctness must be a string of 0 and 1");
        }
        if (images != null && correct != null && images.prediction().length != correct.length()) {
            throw new IllegalArgumentException(attack + ": per-image results must cover the images of its correctness");
        }
        batchSizes = batchSizes == null ? null : List.copyOf(batchSizes);
    }

    /** A measurement whose batch sizes were not recorded. */
    public Measurement(String attack, double accuracy, Double seconds, Double passes, String correct,
                       ImageResults images) {
        this(attack, accuracy, seconds, passes, correct, images, null);
    }

    /** A measurement without per-image results beyond correctness. */
    public Measurement(String attack, double accuracy, Double seconds, Double passes, String correct) {
        this(attack, accuracy, seconds, passes, correct, null, null);
    }

    /** A measurement with its accuracy and wall time only (published logs). */
    public Measurement(String attack, double accuracy, Double seconds) {
        this(attack, accuracy, seconds, null, null, null, null);
    }
}
