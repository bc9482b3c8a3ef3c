package dev.bristle.modelpool;

/**
 * One epoch of a trained student's training curve.
 *
 * @param epoch    0-based
 * @param loss     mean cross-entropy over the epoch's training images
 * @param accuracy percentage of the epoch's training images classified correctly
 */
public record TrainingPoint(int epoch, double loss, double accuracy) {
}
