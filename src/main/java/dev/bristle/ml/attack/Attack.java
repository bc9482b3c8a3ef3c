package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;

import java.util.Map;
import java.util.Optional;

/**
 * One adversarial attack, batched. Implementations keep every hyperparameter explicit and report them through
 * {@link #hyperparameters()}, so each result records what produced it.
 */
public interface Attack {

    /** The attack's name as results, the CLI and the metrics use it (e.g. "PGD"). */
    String name();

    /** Every setting that shapes the result, in a stable order. */
    Map<String, Object> hyperparameters();

    /** Whether the attack can aim at a chosen label. */
    boolean supportsTargeted();

    /** The perturbation bound the attack guarantees, or empty for unbounded attacks (C&W, DeepFool). */
    Optional<Budget> budget();

    /**
     * Attacks one batch. Arrays made along the way must belong to sub-managers of the batch manager (the manager of
     * {@code images}) so they are freed when the step or batch ends.
     *
     * @param target  the model and its input box
     * @param images  clean images in the attack space (N, C, H, W)
     * @param labels  true labels (N), int64
     * @param targets target labels (N), int64, for a targeted run; null for an untargeted run
     * @param seed    the seed of this batch's randomness (same seed, same result)
     */
    AttackBatch run(AttackTarget target, NDArray images, NDArray labels, NDArray targets, long seed);
}
