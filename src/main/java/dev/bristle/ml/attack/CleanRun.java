package dev.bristle.ml.attack;

/**
 * The clean pass of a suite: predictions on the unattacked images in the attack space.
 *
 * @param predictions predicted class per image, in data order
 * @param labels      true class per image
 * @param seconds     wall time of the model work
 */
public record CleanRun(int[] predictions, int[] labels, double seconds) {

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
}
