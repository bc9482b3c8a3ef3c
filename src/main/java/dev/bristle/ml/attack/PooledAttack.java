package dev.bristle.ml.attack;

import ai.djl.ndarray.NDManager;

/**
 * An attack that can run over a whole image set in full batches (the sound protocol): images still open join one pool
 * the attack's next step draws full batches from, each image carrying its own state, so the passes run on full
 * batches until fewer images than a batch remain. Passes are counted to the images through the target's rows.
 */
public interface PooledAttack extends Attack {

    /**
     * The adversarial examples of {@code images} (n images in the attack space, NCHW flat), in their order.
     *
     * @param manager   the manager arrays made along the way belong to sub-managers of
     * @param targets   target labels for a targeted run; null for an untargeted run
     * @param batchSize the most images a pass runs on
     */
    float[] runPooled(AttackTarget target, NDManager manager, float[] images, long[] labels, long[] targets, long seed,
                      int batchSize);
}
