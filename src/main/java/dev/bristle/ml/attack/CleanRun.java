package dev.bristle.ml.attack;

import dev.bristle.ml.metrics.ImageResults;
import dev.bristle.ml.metrics.Measurement;

/**
 * The clean pass of a suite: predictions on the unattacked images in the attack space.
 *
 * @param predictions predicted class per image, in data order
 * @param labels      true class per image
 * @param seconds     wall time of the model work
 */
public record CleanRun(int[] predictions, int[] labels, double seconds) {

    /** The clean pass costs one forward pass per image. */
    public static final double PASSES_PER_IMAGE = 1;

    public boolean[] correct() {
        boolean[] correct = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) correct[i] = predictions[i] == labels[i];
        return correct;
    }

    public double accuracy() {
        return AttackRun.percent(correct());
    }

    public String correctness() {
        return AttackRun.bits(correct());
    }

    /** This pass as the metrics take it ({@link Measurement#CLEAN}). */
    public Measurement measurement() {
        int[] passes = new int[predictions.length];
        java.util.Arrays.fill(passes, (int) PASSES_PER_IMAGE);
        return new Measurement(Measurement.CLEAN, accuracy(), seconds, PASSES_PER_IMAGE, correctness(),
                new ImageResults(predictions.clone(), passes, null));
    }
}
