package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import dev.bristle.input.InvalidInputException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Carlini-Wagner L2 with torchattacks' semantics: the image is optimized through the change of variables
 * x = (tanh(w) + 1) / 2 with Adam, minimizing ||x - x0||^2 + c * f(x) per sample; the kept result of each sample is
 * the adversarial image of smallest L2 distance seen (the clean image when none was adversarial); the optimization
 * stops early when the batch's total cost has risen since the previous check (every steps/10 steps).
 */
public final class CarliniWagnerL2 implements Attack {

    private static final float NO_DISTANCE_YET = 1e10f;

    private final double c;
    private final double kappa;
    private final int steps;
    private final double learningRate;
    private final boolean abortEarly;

    public CarliniWagnerL2(double c, double kappa, int steps, double learningRate, boolean abortEarly) {
        if (steps < 1) throw new InvalidInputException("C&W needs at least one step, not " + steps);
        this.c = c;
        this.kappa = kappa;
        this.steps = steps;
        this.learningRate = learningRate;
        this.abortEarly = abortEarly;
    }

    @Override
    public String name() {
        return "CW";
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("norm", "L2 (unbounded)");
        map.put("c", c);
        map.put("kappa", kappa);
        map.put("steps", steps);
        map.put("learningRate", learningRate);
        map.put("optimizer", "Adam(0.9, 0.999, 1e-8)");
        map.put("abortEarly", abortEarly);
        return map;
    }

    @Override
    public boolean supportsTargeted() {
        return true;
    }

    @Override
    public Optional<Budget> budget() {
        return Optional.empty();
    }

    @Override
    public AttackBatch run(AttackTarget target, NDArray images, NDArray labels, NDArray targets, long seed) {
        NDManager batch = images.getManager();
        Survivors open = new Survivors(target, images, labels, targets);
        NDArray w = atanh(images.mul(2).sub(1).clip(-1, 1));
        Adam adam = new Adam(learningRate);
        NDArray best = images.duplicate();
        NDArray bestDistance = batch.full(labels.getShape(), NO_DISTANCE_YET);
        double previousCost = 1e10;
        // Each open sample's objective at the last check, so the cost compared after retirements is over the same rows.
        float[] checkedObjective = null;
        int checkEvery = Math.max(steps / 10, 1);
        for (int i = 0; i < steps && !open.isEmpty(); i++) {
            try (NDManager step = batch.newSubManager()) {
                NDArray clean = open.images();
                NDArray aimed = open.targets() == null ? open.labels() : open.targets();
                AttackTarget.Gradient g = target.gradient(step, w, open.rows(), CarliniWagnerL2::tanhSpace,
                        (logits, adversarial) -> distance(adversarial, clean)
                                .add(margin(logits, aimed, targets != null).mul((float) c)));
                double cost = g.objective().sum().getFloat();
                // The images and logits the step was taken from, as torchattacks bookkeeps them.
                NDArray adversarial = tanhSpace(Tensors.local(w, g.logits()));
                NDArray distance = distance(adversarial, clean);
                NDArray improves = fooled(g.logits(), open).logicalAnd(distance.lt(bestDistance));
                NDArray nextBestDistance = NDArrays.where(improves, distance, bestDistance);
                NDArray nextBest = Tensors.choose(improves, adversarial, best);

                NDArray nextW = adam.step(w, g.gradient());
                for (NDArray kept : new NDArray[] {nextW, nextBest, nextBestDistance}) kept.attach(batch);
                adam.keepIn(nextW);
                for (NDArray old : new NDArray[] {w, best, bestDistance}) old.close();
                w = nextW;
                best = nextBest;
                bestDistance = nextBestDistance;
                if (abortEarly && i % checkEvery == 0) {
                    if (cost > previousCost) break;
                    previousCost = cost;
                    checkedObjective = g.objective().toFloatArray();
                }
                if (open.retireFooled(g.logits(), adversarial)) {
                    NDArray[] kept = {open.keep(w), open.keep(best), open.keep(bestDistance)};
                    for (NDArray old : new NDArray[] {w, best, bestDistance}) old.close();
                    w = kept[0];
                    best = kept[1];
                    bestDistance = kept[2];
                    adam.keep(open);
                    if (checkedObjective != null) {
                        checkedObjective = open.keep(checkedObjective);
                        previousCost = 0;
                        for (float value : checkedObjective) previousCost += value;
                    }
                }
            }
        }
        adam.close();
        w.close();
        bestDistance.close();
        return new AttackBatch(open.result(best));
    }

    /** Whether {@code logits} show each open sample fooled: misclassified, or classified as its target. */
    private static NDArray fooled(NDArray logits, Survivors open) {
        NDArray predicted = logits.argMax(1);
        return open.targets() == null ? predicted.neq(open.labels()) : predicted.eq(open.targets());
    }

    static NDArray tanhSpace(NDArray w) {
        return w.tanh().add(1).mul(0.5f);
    }

    /** atanh(x) = log((1 + x) / (1 - x)) / 2; +-inf at +-1, where tanh maps back exactly to the box's edge. */
    private static NDArray atanh(NDArray x) {
        NDArray numerator = x.add(1);
        // -x + 1, not 1 - x: DJL's reversed subtraction gives -0 at x = 1, and 2 / -0 = -inf would make the log NaN.
        NDArray denominator = x.neg().add(1);
        return numerator.div(denominator).log().mul(0.5f);
    }

    /** Squared L2 distance of each sample to the clean image. */
    private static NDArray distance(NDArray adversarial, NDArray images) {
        return adversarial.sub(images).square().sum(new int[] {1, 2, 3});
    }

    /**
     * C&W's f as torchattacks 3.5.1 computes it: both the aimed logit and the largest other one are maxima over the
     * logits multiplied by a one-hot mask (or its complement), so the masked-out zeros take part: each is at least 0.
     * The result is clamped below at -kappa.
     */
    private NDArray margin(NDArray logits, NDArray aimed, boolean targeted) {
        NDArray hot = Losses.oneHot(aimed, logits);
        NDArray real = hot.mul(logits).max(new int[] {1});
        NDArray other = NDArrays.sub(1f, hot).mul(logits).max(new int[] {1});
        NDArray gap = targeted ? other.sub(real) : real.sub(other);
        return gap.maximum((float) -kappa);
    }
}
