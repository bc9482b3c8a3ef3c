package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;

/**
 * What an attack made of one batch.
 *
 * @param adversarial the adversarial images (N, C, H, W) in the attack space, owned by the batch's manager
 */
public record AttackBatch(NDArray adversarial) {
}
