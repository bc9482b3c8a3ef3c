package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Projected gradient descent in L2: steps of length alpha along the normalized gradient, each followed by projection
 * onto the eps-ball (L2) around the clean image and onto the box; optionally from a random start in the ball.
 */
public final class PgdL2 extends BudgetedAttack {

    /** Added to gradient norms before dividing, as torchattacks does, so a zero gradient gives a zero step. */
    private static final float DIVISION_EPSILON = 1e-10f;

    private final double alpha;
    private final int steps;
    private final boolean randomStart;

    public PgdL2(double eps, double alpha, int steps, boolean randomStart) {
        super(Norm.L2, eps);
        if (steps < 1) throw new IllegalArgumentException("PGD-L2 needs at least one step, not " + steps);
        this.alpha = alpha;
        this.steps = steps;
        this.randomStart = randomStart;
    }

    @Override
    public String name() {
        return "PGD_L2";
    }

    @Override
    protected void putSettings(Map<String, Object> map) {
        map.put("alpha", alpha);
        map.put("steps", steps);
        map.put("randomStart", randomStart);
        map.put("loss", "cross-entropy");
    }

    @Override
    public boolean supportsTargeted() {
        return true;
    }

    @Override
    public AttackBatch run(AttackTarget target, NDArray images, NDArray labels, NDArray targets, long seed) {
        NDManager batch = images.getManager();
        float batchSize = images.getShape().get(0);
        NDArray adversarial = images.duplicate();
        if (randomStart) {
            try (NDManager start = batch.newSubManager()) {
                SplittableRandom random = new SplittableRandom(seed);
                NDArray direction = RandomArrays.normal(start, random, images.getShape());
                NDArray radius = RandomArrays.uniform(start, random, new Shape(images.getShape().get(0), 1, 1, 1), 0, 1);
                NDArray delta = direction.div(Tensors.l2PerSample(direction)).mul(radius).mul((float) eps);
                NDArray started = delta.add(images).clip(AttackTarget.BOX_LOWER, AttackTarget.BOX_UPPER);
                started.attach(batch);
                adversarial.close();
                adversarial = started;
            }
        }
        Survivors open = new Survivors(target, images, labels, targets);
        for (int i = 0; i < steps && !open.isEmpty(); i++) {
            try (NDManager step = batch.newSubManager()) {
                NDArray aimedLabels = open.labels();
                NDArray aimedTargets = open.targets();
                // Mean over the batch, as torchattacks reduces its loss; only the scale of the gradient differs.
                AttackTarget.Gradient g = target.gradient(step, adversarial, open.rows(),
                        (logits, inputs) -> Losses.crossEntropyObjective(logits, aimedLabels, aimedTargets)
                                .div(batchSize));
                NDArray gradient = g.gradient();
                if (open.retireFooled(g.logits(), adversarial)) {
                    gradient = open.keep(gradient);
                    NDArray kept = open.keep(adversarial);
                    adversarial.close();
                    adversarial = kept;
                    if (open.isEmpty()) break;
                    gradient.attach(step);
                }
                NDArray unit = gradient.div(Tensors.l2PerSample(gradient).add(DIVISION_EPSILON));
                NDArray moved = unit.mul((float) alpha).add(adversarial);
                NDArray delta = moved.sub(open.images());
                NDArray factor = NDArrays.div((float) eps, Tensors.l2PerSample(delta)).minimum(1f);
                NDArray next = delta.mul(factor).add(open.images()).clip(AttackTarget.BOX_LOWER,
                        AttackTarget.BOX_UPPER);
                next.attach(batch);
                adversarial.close();
                adversarial = next;
            }
        }
        return new AttackBatch(open.result(adversarial));
    }
}
