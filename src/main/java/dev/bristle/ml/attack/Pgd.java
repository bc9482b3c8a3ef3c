package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Projected gradient descent in L-inf: steps of size alpha along the gradient sign, each followed by projection onto
 * the eps-ball around the clean image and onto the box; optionally from a uniformly random start in the ball.
 */
public final class Pgd extends BudgetedAttack {

    private final double alpha;
    private final int steps;
    private final boolean randomStart;

    public Pgd(double eps, double alpha, int steps, boolean randomStart) {
        super(Norm.LINF, eps);
        if (steps < 1) throw new IllegalArgumentException("PGD needs at least one step, not " + steps);
        this.alpha = alpha;
        this.steps = steps;
        this.randomStart = randomStart;
    }

    @Override
    public String name() {
        return "PGD";
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
        NDArray adversarial = images.duplicate();
        if (randomStart) {
            NDArray noise = RandomArrays.uniform(batch, new SplittableRandom(seed), images.getShape(), -eps, eps);
            NDArray started = noise.add(images).clip(AttackTarget.BOX_LOWER, AttackTarget.BOX_UPPER);
            adversarial.close();
            noise.close();
            adversarial = started;
        }
        Survivors open = new Survivors(target, images, labels, targets);
        for (int i = 0; i < steps && !open.isEmpty(); i++) {
            try (NDManager step = batch.newSubManager()) {
                NDArray aimedLabels = open.labels();
                NDArray aimedTargets = open.targets();
                AttackTarget.Gradient g = target.gradient(step, adversarial, open.rows(),
                        (logits, inputs) -> Losses.crossEntropyObjective(logits, aimedLabels, aimedTargets));
                NDArray gradient = g.gradient();
                if (open.retireFooled(g.logits(), adversarial)) {
                    gradient = open.keep(gradient);
                    NDArray kept = open.keep(adversarial);
                    adversarial.close();
                    adversarial = kept;
                    if (open.isEmpty()) break;
                    gradient.attach(step);
                }
                NDArray moved = gradient.sign().mul((float) alpha).add(adversarial);
                NDArray delta = moved.sub(open.images()).clip(-eps, eps);
                NDArray next = delta.add(open.images()).clip(AttackTarget.BOX_LOWER, AttackTarget.BOX_UPPER);
                next.attach(batch);
                adversarial.close();
                adversarial = next;
            }
        }
        return new AttackBatch(open.result(adversarial));
    }
}
