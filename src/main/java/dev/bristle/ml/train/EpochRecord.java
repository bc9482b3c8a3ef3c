package dev.bristle.ml.train;

/**
 * One epoch of a training curve.
 *
 * @param epoch            0-based epoch index
 * @param learningRate     learning rate in force during the epoch
 * @param loss             mean cross-entropy over the epoch's (augmented) training images, taken before each step
 * @param accuracy         percentage of those images classified correctly, before each step
 * @param heldOutAccuracy  percentage of held-out images classified correctly after the epoch; NaN when none are held out
 * @param seconds          wall time of the epoch
 */
public record EpochRecord(int epoch, double learningRate, double loss, double accuracy, double heldOutAccuracy,
                          double seconds) {
}
