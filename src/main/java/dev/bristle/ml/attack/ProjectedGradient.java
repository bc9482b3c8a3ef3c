package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bristle.input.InvalidInputException;

import java.util.Map;

/**
 * Projected gradient ascent of the cross-entropy (PGD in L-inf and L2): from the clean image or a random start in the
 * ball, {@code steps} steps of size alpha, each projected onto the eps-ball around the clean image and onto the box.
 * Where the protocol stops on success, the samples an iterate already fools retire with it and the arrays shrink to
 * the others ({@link Survivors}). The norms differ in their start, their step and the scale of their objective only.
 */
abstract class ProjectedGradient extends BudgetedAttack {

    protected final double alpha;
    private final int steps;
    private final boolean randomStart;

    /** @param attack the attack's name in messages */
    protected ProjectedGradient(String attack, Norm norm, double eps, double alpha, int steps, boolean randomStart) {
        super(norm, eps);
        if (steps < 1) throw new InvalidInputException(attack + " needs at least one step, not " + steps);
        this.alpha = alpha;
        this.steps = steps;
        this.randomStart = randomStart;
    }

    @Override
    protected final void putSettings(Map<String, Object> map) {
        map.put("alpha", alpha);
        map.put("steps", steps);
        map.put("randomStart", randomStart);
        map.put("loss", "cross-entropy");
    }

    @Override
    public final boolean supportsTargeted() {
        return true;
    }

    /** A random point of the eps-ball around each image, clamped to the box; the batch manager's. */
    protected abstract NDArray randomStart(NDArray images, long seed);

    /**
     * The objective ascended, per sample, from the open samples' logits, labels and targets (null: untargeted).
     *
     * @param batchSize the whole batch's size, open or not
     */
    protected abstract NDArray objective(NDArray logits, NDArray labels, NDArray targets, float batchSize);

    /**
     * The open samples' next iterates, projected onto the ball around {@code clean} and onto the box; computed from
     * {@code gradient}, whose manager (the step's) they belong to.
     */
    protected abstract NDArray step(NDArray gradient, NDArray iterates, NDArray clean);

    @Override
    public final AttackBatch run(AttackTarget target, NDArray images, NDArray labels, NDArray targets, long seed) {
        NDManager batch = images.getManager();
        float batchSize = images.getShape().get(0);
        NDArray adversarial = randomStart ? randomStart(images, seed) : images.duplicate();
        Survivors open = new Survivors(target, images, labels, targets);
        for (int i = 0; i < steps && !open.isEmpty(); i++) {
            try (NDManager stepManager = batch.newSubManager()) {
                NDArray aimedLabels = open.labels();
                NDArray aimedTargets = open.targets();
                AttackTarget.Gradient g = target.gradient(stepManager, adversarial, open.rows(),
                        (logits, inputs) -> objective(logits, aimedLabels, aimedTargets, batchSize));
                NDArray gradient = g.gradient();
                if (open.retireFooled(g.logits(), adversarial)) {
                    gradient = open.keep(gradient);
                    NDArray kept = open.keep(adversarial);
                    adversarial.close();
                    adversarial = kept;
                    if (open.isEmpty()) break;
                    gradient.attach(stepManager);
                }
                NDArray next = step(gradient, adversarial, open.images());
                next.attach(batch);
                adversarial.close();
                adversarial = next;
            }
        }
        return new AttackBatch(open.result(adversarial));
    }
}
