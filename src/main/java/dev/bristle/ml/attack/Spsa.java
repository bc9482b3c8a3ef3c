package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * SPSA (Uesato et al. 2018) in L-inf, as torchattacks (from advertorch) runs it: the gradient of the margin loss is
 * estimated from {@code samples} pairs of queries at x +- delta * v with random sign vectors v, Adam takes a step on
 * the perturbation, which is then projected onto the eps-ball and the box. Unlike torchattacks, each image draws its
 * own sign vectors (torchattacks shares them across a batch).
 */
public final class Spsa extends BudgetedAttack {

    /** Rows per forward pass while estimating gradients. */
    private static final int MAX_ROWS = 512;

    private final double delta;
    private final double learningRate;
    private final int iterations;
    private final int samples;

    public Spsa(double eps, double delta, double learningRate, int iterations, int samples) {
        super(Norm.LINF, eps);
        requirePositive("SPSA", "iterations", iterations, "samples", samples);
        this.delta = delta;
        this.learningRate = learningRate;
        this.iterations = iterations;
        this.samples = samples;
    }

    @Override
    public String name() {
        return "SPSA";
    }

    @Override
    protected void putSettings(Map<String, Object> map) {
        map.put("delta", delta);
        map.put("learningRate", learningRate);
        map.put("iterations", iterations);
        map.put("samples", samples);
        map.put("loss", "margin");
    }

    @Override
    public boolean supportsTargeted() {
        return true;
    }

    @Override
    public AttackBatch run(AttackTarget target, NDArray images, NDArray labels, NDArray targets, long seed) {
        NDManager batch = images.getManager();
        Shape shape = images.getShape();
        int imageLength = (int) (shape.size() / shape.get(0));
        boolean targeted = targets != null;
        SplittableRandom random = new SplittableRandom(seed);
        Adam adam = new Adam(learningRate);
        Survivors open = new Survivors(target, images, labels, targets);
        NDArray perturbation = images.zerosLike();
        for (int i = 0; i < iterations; i++) {
            try (NDManager step = batch.newSubManager()) {
                NDArray clean = open.images();
                NDArray iterate = Tensors.copyInto(perturbation, step).add(clean);
                if (open.retireFooled(iterate)) {
                    NDArray kept = open.keep(perturbation);
                    perturbation.close();
                    perturbation = kept;
                    adam.keep(open);
                    if (open.isEmpty()) break;
                    clean = open.images();
                    iterate = Tensors.copyInto(perturbation, step).add(clean);
                }
                int n = open.rows().length;
                Shape openShape = new Shape(n, shape.get(1), shape.get(2), shape.get(3));
                long[] aimed = (targeted ? open.targets() : open.labels()).toLongArray();
                float[] gradient = estimate(target, step, iterate.toFloatArray(), aimed, targeted, open.rows(),
                        imageLength, openShape, random);
                NDArray moved = adam.step(perturbation, step.create(gradient, openShape));
                NDArray projected = moved.clip(-eps, eps).add(clean).clip(AttackTarget.BOX_LOWER,
                        AttackTarget.BOX_UPPER).sub(clean);
                projected.attach(batch);
                adam.keepIn(projected);
                perturbation.close();
                perturbation = projected;
            }
        }
        adam.close();
        NDArray adversarial = perturbation.add(open.images());
        perturbation.close();
        return new AttackBatch(open.result(adversarial));
    }

    /** Mean over the sign vectors of (f(x + delta v) - f(x - delta v)) / (2 delta v), f the loss to minimize. */
    private float[] estimate(AttackTarget target, NDManager step, float[] current, long[] aimed, boolean targeted,
                             int[] open, int imageLength, Shape shape, SplittableRandom random) {
        int n = open.length;
        int classes = target.classes();
        double[] sum = new double[n * imageLength];
        int perForward = Math.max(1, MAX_ROWS / (2 * n));
        for (int done = 0; done < samples; done += perForward) {
            int count = Math.min(perForward, samples - done);
            int rows = 2 * count * n;
            float[] signs = new float[count * n * imageLength];
            float[] inputs = new float[rows * imageLength];
            int[] passRows = new int[rows];
            for (int j = 0; j < count; j++) {
                for (int s = 0; s < n; s++) {
                    int plus = (2 * j) * n + s;
                    int minus = (2 * j + 1) * n + s;
                    passRows[plus] = open[s];
                    passRows[minus] = open[s];
                    for (int p = 0; p < imageLength; p++) {
                        float v = random.nextBoolean() ? 1f : -1f;
                        signs[(j * n + s) * imageLength + p] = v;
                        float base = current[s * imageLength + p];
                        inputs[plus * imageLength + p] = base + (float) delta * v;
                        inputs[minus * imageLength + p] = base - (float) delta * v;
                    }
                }
            }
            float[] logits;
            try (NDManager query = step.newSubManager()) {
                logits = target.logits(query.create(inputs, new Shape(rows, shape.get(1), shape.get(2), shape.get(3))),
                        passRows).toFloatArray();
            }
            for (int j = 0; j < count; j++) {
                for (int s = 0; s < n; s++) {
                    // SPSA minimizes the margin.
                    float difference = Losses.margin(logits, (2 * j) * n + s, aimed[s], classes, targeted)
                            - Losses.margin(logits, (2 * j + 1) * n + s, aimed[s], classes, targeted);
                    double scale = difference / (2 * delta);
                    for (int p = 0; p < imageLength; p++) {
                        // 1 / v = v for a sign.
                        sum[s * imageLength + p] += scale * signs[(j * n + s) * imageLength + p];
                    }
                }
            }
        }
        float[] gradient = new float[sum.length];
        for (int i = 0; i < sum.length; i++) gradient[i] = (float) (sum[i] / samples);
        return gradient;
    }
}
