package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.SplittableRandom;

/**
 * Projected gradient descent in L2: steps of length alpha along the normalized gradient, each followed by projection
 * onto the eps-ball (L2) around the clean image and onto the box; optionally from a random start in the ball.
 */
public final class PgdL2 extends ProjectedGradient {

    /** Added to gradient norms before dividing, as torchattacks does, so a zero gradient gives a zero step. */
    private static final float DIVISION_EPSILON = 1e-10f;

    public PgdL2(double eps, double alpha, int steps, boolean randomStart) {
        super("PGD-L2", Norm.L2, eps, alpha, steps, randomStart);
    }

    @Override
    public String name() {
        return "PGD_L2";
    }

    /** A random direction at a uniformly random fraction of eps. */
    @Override
    protected NDArray randomStart(NDArray images, long seed) {
        NDManager batch = images.getManager();
        try (NDManager starting = batch.newSubManager()) {
            SplittableRandom random = new SplittableRandom(seed);
            NDArray direction = RandomArrays.normal(starting, random, images.getShape());
            NDArray radius = RandomArrays.uniform(starting, random, new Shape(images.getShape().get(0), 1, 1, 1), 0, 1);
            NDArray delta = direction.div(Tensors.l2PerSample(direction)).mul(radius).mul((float) eps);
            NDArray started = delta.add(images).clip(AttackTarget.BOX_LOWER, AttackTarget.BOX_UPPER);
            started.attach(batch);
            return started;
        }
    }

    /** Mean over the batch, as torchattacks reduces its loss; only the scale of the gradient differs. */
    @Override
    protected NDArray objective(NDArray logits, NDArray labels, NDArray targets, float batchSize) {
        return Losses.crossEntropyObjective(logits, labels, targets).div(batchSize);
    }

    @Override
    protected NDArray step(NDArray gradient, NDArray iterates, NDArray clean) {
        NDArray unit = gradient.div(Tensors.l2PerSample(gradient).add(DIVISION_EPSILON));
        NDArray moved = unit.mul((float) alpha).add(iterates);
        NDArray delta = moved.sub(clean);
        NDArray factor = NDArrays.div((float) eps, Tensors.l2PerSample(delta)).minimum(1f);
        return delta.mul(factor).add(clean).clip(AttackTarget.BOX_LOWER, AttackTarget.BOX_UPPER);
    }
}
