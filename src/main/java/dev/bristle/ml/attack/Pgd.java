package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;

import java.util.SplittableRandom;

/**
 * Projected gradient descent in L-inf: steps of size alpha along the gradient sign, each followed by projection onto
 * the eps-ball around the clean image and onto the box; optionally from a uniformly random start in the ball.
 */
public final class Pgd extends ProjectedGradient {

    public Pgd(double eps, double alpha, int steps, boolean randomStart) {
        super("PGD", Norm.LINF, eps, alpha, steps, randomStart);
    }

    @Override
    public String name() {
        return "PGD";
    }

    /** Uniform in the ball. */
    @Override
    protected NDArray randomStart(NDArray images, long seed) {
        NDArray noise = RandomArrays.uniform(images.getManager(), new SplittableRandom(seed), images.getShape(), -eps,
                eps);
        NDArray started = noise.add(images).clip(AttackTarget.BOX_LOWER, AttackTarget.BOX_UPPER);
        noise.close();
        return started;
    }

    @Override
    protected NDArray objective(NDArray logits, NDArray labels, NDArray targets, float batchSize) {
        return Losses.crossEntropyObjective(logits, labels, targets);
    }

    @Override
    protected NDArray step(NDArray gradient, NDArray iterates, NDArray clean) {
        NDArray moved = gradient.sign().mul((float) alpha).add(iterates);
        NDArray delta = moved.sub(clean).clip(-eps, eps);
        return delta.add(clean).clip(AttackTarget.BOX_LOWER, AttackTarget.BOX_UPPER);
    }
}
