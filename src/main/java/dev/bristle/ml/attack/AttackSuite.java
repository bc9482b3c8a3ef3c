package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.nn.ConvNetSpec;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs attacks over a labelled image set in batches, each batch's native memory freed before the next, and collects
 * per-sample results. In the sound protocol it checks, on every batch, that budgeted attacks stay within eps (small
 * float tolerance), that images stay in [0, 1], and that eps = 0 changes no prediction; a violation throws
 * {@link AttackInvariantViolation}.
 */
public final class AttackSuite {

    public static final int DEFAULT_BATCH_SIZE = 256;
    private static final float LINF_TOLERANCE = 1e-5f;
    private static final float L2_RELATIVE_TOLERANCE = 1e-4f;

    /** Told after every batch: attack name, mode, samples done, samples in all. */
    @FunctionalInterface
    public interface Progress {
        void update(String attack, AttackMode mode, int done, int total);

        Progress NONE = (attack, mode, done, total) -> { };
    }

    private final AttackTarget target;
    private final int batchSize;
    private final long seed;
    private final int targetOffset;
    private final Progress progress;

    /**
     * @param targetOffset targeted runs aim at (y + targetOffset) mod classes (mod 10 in the BEARD protocol)
     */
    public AttackSuite(AttackTarget target, int batchSize, long seed, int targetOffset, Progress progress) {
        if (batchSize < 1) throw new InvalidInputException("batch size must be positive, not " + batchSize);
        if (targetOffset % target.classes() == 0) {
            throw new InvalidInputException("target offset " + targetOffset + " would aim at the true label");
        }
        this.target = target;
        this.batchSize = batchSize;
        this.seed = seed;
        this.targetOffset = targetOffset;
        this.progress = progress;
    }

    public AttackTarget target() {
        return target;
    }

    public long seed() {
        return seed;
    }

    /** Whether {@code attack} is run in {@code mode} under this suite's protocol (BEARD scores clean images instead). */
    public boolean runs(Attack attack, AttackMode mode) {
        return target.protocol().runs(attack, mode);
    }

    /** The clean pass over {@code pixels} ([0, 1], NCHW flat). */
    public CleanRun clean(float[] pixels, int[] labels) {
        float[] inputs = prepare(pixels, labels);
        int imageLength = imageLength();
        int[] predictions = new int[labels.length];
        long nanos = 0;
        for (int start = 0; start < labels.length; start += batchSize) {
            int count = Math.min(batchSize, labels.length - start);
            long began = System.nanoTime();
            try (NDManager batch = target.model().newBatchManager()) {
                NDArray images = batch.create(FloatBuffer.wrap(inputs, start * imageLength, count * imageLength).slice(),
                        shape(count));
                target.beginBatch(count);
                long[] predicted = target.logits(images, null).argMax(1).toLongArray();
                for (int i = 0; i < count; i++) predictions[start + i] = (int) predicted[i];
            }
            nanos += System.nanoTime() - began;
        }
        return new CleanRun(predictions, labels.clone(), nanos / 1e9);
    }

    /**
     * The input gradient of each image's cross-entropy at the clean point, one forward and backward pass per image,
     * counted where it is zero in every value.
     */
    public GradientCensus gradientCensus(float[] pixels, int[] labels) {
        float[] inputs = prepare(pixels, labels);
        int imageLength = imageLength();
        int zero = 0;
        List<Integer> examples = new ArrayList<>();
        for (int start = 0; start < labels.length; start += batchSize) {
            int count = Math.min(batchSize, labels.length - start);
            try (NDManager batch = target.model().newBatchManager()) {
                NDArray images = batch.create(FloatBuffer.wrap(inputs, start * imageLength, count * imageLength).slice(),
                        shape(count));
                NDArray labelArray = batch.create(slice(labels, start, count));
                target.beginBatch(count);
                NDArray gradient = target.gradient(batch, images, null,
                        (logits, x) -> Losses.crossEntropy(logits, labelArray)).gradient();
                float[] largest = Tensors.linfPerSample(gradient).toFloatArray();
                for (int i = 0; i < count; i++) {
                    if (largest[i] == 0) {
                        zero++;
                        if (examples.size() < GradientCensus.EXAMPLES) examples.add(start + i);
                    }
                }
            }
        }
        return new GradientCensus(labels.length, zero, examples);
    }

    /** One attack in one mode over {@code pixels} ([0, 1], NCHW flat). */
    public AttackRun run(Attack attack, AttackMode mode, float[] pixels, int[] labels, CleanRun clean) {
        return run(attack, mode, pixels, labels, clean, 0);
    }

    /**
     * One attack in one mode over {@code pixels}, a shard of a larger set whose first image starts batch
     * {@code firstBatch} of that set: each batch is seeded as the same batch of a run over the whole set, so a shard
     * that starts on a batch boundary gives, image for image, what the whole set's run gives (a pooled attack's pool,
     * seeded as the shard's first batch, holds the shard's images only).
     */
    public AttackRun run(Attack attack, AttackMode mode, float[] pixels, int[] labels, CleanRun clean,
                         int firstBatch) {
        requireRunnable(attack, mode, labels, clean);
        int n = labels.length;
        boolean targeted = mode == AttackMode.TARGETED;
        int[] targets = targeted ? targets(labels) : null;
        boolean executed = !targeted || attack.supportsTargeted();
        float[] inputs = prepare(pixels, labels);
        int imageLength = imageLength();
        int[] adversarialPredictions = new int[n];
        float[] l2 = new float[n];
        float[] linf = new float[n];
        long[] forward = new long[n];
        long[] backward = new long[n];
        long nanos = 0;
        PassRate.Snapshot passesBefore = target.passSnapshot();
        float[] pooled = null;
        if (executed && target.protocol().poolsBatches() && attack instanceof PooledAttack pooledAttack) {
            long began = System.nanoTime();
            pooled = pooled(pooledAttack, inputs, labels, targets, firstBatch, forward, backward);
            nanos += System.nanoTime() - began;
        }
        int batchIndex = firstBatch;
        for (int start = 0; start < n; start += batchSize, batchIndex++) {
            int count = Math.min(batchSize, n - start);
            try (NDManager batch = target.model().newBatchManager()) {
                NDArray images = batch.create(FloatBuffer.wrap(inputs, start * imageLength, count * imageLength).slice(),
                        shape(count));
                NDArray labelArray = batch.create(slice(labels, start, count));
                NDArray targetArray = targeted ? batch.create(slice(targets, start, count)) : null;
                target.beginBatch(count);
                long began = System.nanoTime();
                NDArray adversarial;
                if (pooled != null) {
                    adversarial = batch.create(FloatBuffer.wrap(pooled, start * imageLength, count * imageLength)
                            .slice(), shape(count));
                } else {
                    adversarial = executed
                            ? attack.run(target, images, labelArray, targetArray, batchSeed(batchIndex)).adversarial()
                            : images;
                    System.arraycopy(target.forwardPasses(), 0, forward, start, count);
                    System.arraycopy(target.backwardPasses(), 0, backward, start, count);
                }
                long[] predicted = target.logits(adversarial, null).argMax(1).toLongArray();
                nanos += System.nanoTime() - began;
                for (int i = 0; i < count; i++) adversarialPredictions[start + i] = (int) predicted[i];
                measure(images, adversarial, l2, linf, start);
                if (target.protocol().checksInvariants()) {
                    check(attack, images, adversarial, clean.predictions(), adversarialPredictions, start, count, l2,
                            linf);
                }
            }
            progress.update(attack.name(), mode, Math.min(n, start + count), n);
        }
        return new AttackRun(attack.name(), mode, target.protocol(), attack.hyperparameters(), seed, executed,
                clean.predictions().clone(), adversarialPredictions, labels.clone(), targets, l2, linf, forward,
                backward, nanos / 1e9, target.passSnapshot().since(passesBefore, nanos / 1e9));
    }

    private void requireRunnable(Attack attack, AttackMode mode, int[] labels, CleanRun clean) {
        if (!runs(attack, mode)) {
            throw new InvalidInputException(attack.name() + " has no targeted mode");
        }
        if (clean.labels().length != labels.length) {
            throw new IllegalArgumentException("clean run has " + clean.labels().length + " samples, data "
                    + labels.length);
        }
    }

    /**
     * A pooled attack over all of {@code inputs} at once, in full batches (the sound protocol), its passes counted to
     * its images in {@code forward} and {@code backward}; returns the adversarial images.
     */
    private float[] pooled(PooledAttack attack, float[] inputs, int[] labels, int[] targets, int firstBatch,
                           long[] forward, long[] backward) {
        int n = labels.length;
        try (NDManager pool = target.model().newBatchManager()) {
            target.beginBatch(n);
            float[] adversarial = attack.runPooled(target, pool, inputs, slice(labels, 0, n),
                    targets == null ? null : slice(targets, 0, n), batchSeed(firstBatch), batchSize);
            System.arraycopy(target.forwardPasses(), 0, forward, 0, n);
            System.arraycopy(target.backwardPasses(), 0, backward, 0, n);
            return adversarial;
        }
    }

    /** Target label per sample: (y + offset) mod classes, or mod 10 in the BEARD protocol. */
    public int[] targets(int[] labels) {
        int modulus = target.protocol().targetModulus(target.classes());
        int[] targets = new int[labels.length];
        for (int i = 0; i < labels.length; i++) targets[i] = Math.floorMod(labels[i] + targetOffset, modulus);
        return targets;
    }

    /** Seed of batch {@code index}: distinct per batch, fixed by the suite's seed. */
    private long batchSeed(int index) {
        return seed + 0x9E3779B97F4A7C15L * (index + 1);
    }

    /** Perturbation norms per sample in pixel units (the BEARD protocol's normalized deltas times std). */
    private void measure(NDArray images, NDArray adversarial, float[] l2, float[] linf, int start) {
        try (NDManager step = images.getManager().newSubManager()) {
            NDArray std = step.create(target.std(), new Shape(1, target.std().length, 1, 1));
            NDArray delta = Tensors.local(adversarial, std).sub(images).mul(std);
            float[] l2Batch = Tensors.l2PerSample(delta).toFloatArray();
            float[] linfBatch = Tensors.linfPerSample(delta).toFloatArray();
            System.arraycopy(l2Batch, 0, l2, start, l2Batch.length);
            System.arraycopy(linfBatch, 0, linf, start, linfBatch.length);
        }
    }

    private void check(Attack attack, NDArray images, NDArray adversarial, int[] cleanPredictions,
                       int[] adversarialPredictions, int start, int count, float[] l2, float[] linf) {
        float min = adversarial.min().getFloat();
        float max = adversarial.max().getFloat();
        if (!(min >= AttackTarget.BOX_LOWER && max <= AttackTarget.BOX_UPPER)) {
            throw new AttackInvariantViolation(attack.name() + " left the box [0, 1]: values from " + min + " to "
                    + max + " in the batch starting at sample " + start);
        }
        if (attack.budget().isEmpty()) return;
        Budget budget = attack.budget().get();
        for (int i = start; i < start + count; i++) {
            float norm = budget.norm() == Norm.LINF ? linf[i] : l2[i];
            double allowed = budget.norm() == Norm.LINF ? budget.eps() + LINF_TOLERANCE
                    : budget.eps() * (1 + L2_RELATIVE_TOLERANCE) + LINF_TOLERANCE;
            if (!(norm <= allowed)) {
                throw new AttackInvariantViolation(attack.name() + " exceeded its " + budget.norm() + " budget "
                        + budget.eps() + " on sample " + i + ": perturbation norm " + norm);
            }
            if (budget.eps() == 0 && adversarialPredictions[i] != cleanPredictions[i]) {
                throw new AttackInvariantViolation(attack.name() + " at eps 0 changed the prediction of sample " + i
                        + " from " + cleanPredictions[i] + " to " + adversarialPredictions[i]);
            }
        }
    }

    private float[] prepare(float[] pixels, int[] labels) {
        ConvNetSpec spec = target.model().spec();
        long expected = (long) labels.length * imageLength();
        if (pixels.length != expected) {
            throw new IllegalArgumentException(labels.length + " images of " + spec.channels() + "x" + spec.imageSize()
                    + "x" + spec.imageSize() + " need " + expected + " pixel values, found " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= spec.classes()) {
                throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is outside the model's "
                        + spec.classes() + " classes");
            }
        }
        return target.toAttackSpace(pixels, labels.length);
    }

    private int imageLength() {
        ConvNetSpec spec = target.model().spec();
        return spec.channels() * spec.imageSize() * spec.imageSize();
    }

    private Shape shape(int count) {
        return target.model().network().inputShape(count);
    }

    private static long[] slice(int[] values, int start, int count) {
        long[] result = new long[count];
        for (int i = 0; i < count; i++) result[i] = values[start + i];
        return result;
    }
}
