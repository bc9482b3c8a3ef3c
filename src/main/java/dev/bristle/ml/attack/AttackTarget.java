package dev.bristle.ml.attack;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.torch.HostTensor;

import java.util.Arrays;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What an attack differentiates: a classifier of inputs in the attack space, the box [0, 1] the attack clamps to, and
 * the map from attack space back to pixels (for reporting perturbation norms). Counts, per sample of the current
 * batch, the forward and backward passes spent on it.
 *
 * <p>The model's parameters are frozen (no weight gradients) when the target is made: only inputs get gradients.
 */
public final class AttackTarget {

    public static final float BOX_LOWER = 0f;
    public static final float BOX_UPPER = 1f;
    /**
     * Most rows a pass on the CPU runs at once. Per image a ConvNet pass costs 1.5x (forward) to 2x (forward and
     * backward) more at 64 or 256 images than at 4 to 16 (PassBenchmark), whose activations stay closer to the cores'
     * caches, so a larger batch runs in equal slices of at most this many inside one graph (17 rows as 9 and 8, not as
     * 16 and a costly single row). A GPU takes the batch whole.
     */
    static final int CPU_SLICE = 16;

    private final PixelSpaceModel model;
    private final AttackProtocol protocol;
    private final float[] mean;
    private final float[] std;
    private long[] forwardPasses = new long[0];
    private long[] backwardPasses = new long[0];
    /** Batch sample of each row of the sub-batch being attacked (composite attacks); null while on the whole batch. */
    private int[] rowMap;
    /** Wall time spent inside the model's forward and backward passes, since the target was made. */
    private long modelNanos;
    /** Passes by batch size since the target was made. */
    private final PassRate.Log passLog = new PassRate.Log();

    private AttackTarget(PixelSpaceModel model, AttackProtocol protocol, float[] mean, float[] std) {
        this.model = model;
        this.protocol = protocol;
        this.mean = mean.clone();
        this.std = std.clone();
        for (Parameter parameter : model.model().getBlock().getParameters().values()) {
            parameter.getArray().setRequiresGradient(false);
        }
    }

    /** Sound protocol: {@code model} normalizes pixels itself; attack space = pixel space. */
    public static AttackTarget sound(PixelSpaceModel model) {
        int channels = model.spec().channels();
        float[] zero = new float[channels];
        float[] one = new float[channels];
        Arrays.fill(one, 1f);
        return new AttackTarget(model, AttackProtocol.SOUND, zero, one);
    }

    /**
     * BEARD protocol: the attack space is the normalized space, {@code model} must take normalized input directly
     * (a {@link PixelSpaceModel} built with mean 0 and std 1); {@code mean}/{@code std} are the dataset's, used to turn
     * inputs into the attack space and perturbations back into pixels.
     */
    public static AttackTarget beard(PixelSpaceModel model, float[] mean, float[] std) {
        int channels = model.spec().channels();
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("a " + channels + "-channel model needs " + channels
                    + " means and stds, found " + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        return new AttackTarget(model, AttackProtocol.BEARD, mean, std);
    }

    /**
     * A student as {@code protocol} attacks it: in pixel space with its normalization inside (sound), or without the
     * normalization, taking normalized tensors (BEARD's); {@link #of} makes its target.
     */
    public static PixelSpaceModel attackedModel(AttackProtocol protocol, Map<String, HostTensor> weights, int imageSize,
                                                float[] mean, float[] std, Device device) {
        if (protocol == AttackProtocol.SOUND) return PixelSpaceModel.fromStateDict(weights, imageSize, mean, std, device);
        float[] zero = new float[mean.length];
        float[] one = new float[mean.length];
        Arrays.fill(one, 1f);
        return PixelSpaceModel.fromStateDict(weights, imageSize, zero, one, device);
    }

    /** The target of a model made by {@link #attackedModel} for the same protocol. */
    public static AttackTarget of(AttackProtocol protocol, PixelSpaceModel attackedModel, float[] mean, float[] std) {
        return protocol == AttackProtocol.SOUND ? sound(attackedModel) : beard(attackedModel, mean, std);
    }

    public AttackProtocol protocol() {
        return protocol;
    }

    public PixelSpaceModel model() {
        return model;
    }

    public int classes() {
        return model.spec().classes();
    }

    /** Per-channel mean subtracted before the attack (zeros in the sound protocol). */
    public float[] mean() {
        return mean.clone();
    }

    /** Per-channel std divided by before the attack (ones in the sound protocol). */
    public float[] std() {
        return std.clone();
    }

    /** Pixels in [0, 1] (NCHW, flat) to the attack space, in float32 as torchvision's Normalize computes it. */
    public float[] toAttackSpace(float[] pixels, int images) {
        float[] result = new float[pixels.length];
        int channels = mean.length;
        int plane = pixels.length / images / channels;
        for (int i = 0; i < pixels.length; i++) {
            int c = (i / plane) % channels;
            result[i] = protocol == AttackProtocol.SOUND ? pixels[i] : (pixels[i] - mean[c]) / std[c];
        }
        return result;
    }

    /** Starts counting passes for a new batch of {@code size} samples. */
    public void beginBatch(int size) {
        forwardPasses = new long[size];
        backwardPasses = new long[size];
    }

    /**
     * Runs {@code work} on a sub-batch whose row i is batch sample {@code batchRows[i]}, so passes spent on it are
     * counted to the right samples.
     */
    public <T> T onSubset(int[] batchRows, Supplier<T> work) {
        int[] saved = rowMap;
        int[] mapped = batchRows.clone();
        if (saved != null) for (int i = 0; i < mapped.length; i++) mapped[i] = saved[mapped[i]];
        rowMap = mapped;
        try {
            return work.get();
        } finally {
            rowMap = saved;
        }
    }

    /** Forward passes per sample of the current batch so far. */
    public long[] forwardPasses() {
        return forwardPasses.clone();
    }

    /** Backward passes per sample of the current batch so far. */
    public long[] backwardPasses() {
        return backwardPasses.clone();
    }

    /**
     * Logits of {@code inputs} (no gradient). They belong to the manager of {@code inputs}.
     *
     * @param rows the batch sample each row of {@code inputs} belongs to (for pass counting); null = rows 0..n-1
     */
    public NDArray logits(NDArray inputs, int[] rows) {
        count(forwardPasses, rows, inputs);
        passLog.add((int) inputs.getShape().get(0), 1);
        long began = System.nanoTime();
        NDArray logits = forward(inputs);
        modelNanos += System.nanoTime() - began;
        return logits;
    }

    /** The model's logits of {@code inputs}, on the CPU in equal slices of at most {@link #CPU_SLICE} rows. */
    private NDArray forward(NDArray inputs) {
        long rows = inputs.getShape().get(0);
        if (rows <= CPU_SLICE || inputs.getDevice().isGpu()) return model.logits(inputs);
        long count = (rows + CPU_SLICE - 1) / CPU_SLICE;
        NDList slices = new NDList();
        for (long i = 0; i < count; i++) {
            slices.add(model.logits(inputs.get(new NDIndex("{}:{}", i * rows / count, (i + 1) * rows / count))));
        }
        return NDArrays.concat(slices);
    }

    /**
     * Seconds spent inside the model's passes (forward, and backward to the inputs) since this target was made: the
     * rest of an attack's time is its own arithmetic and bookkeeping.
     */
    public double modelSeconds() {
        return modelNanos / 1e9;
    }

    /** The passes and the model time so far, for {@link PassRate.Snapshot#since}. */
    PassRate.Snapshot passSnapshot() {
        return passLog.snapshot(modelNanos);
    }

    /**
     * One forward and one backward pass: the per-sample objective {@code objective(logits, inputs)} (shape (N)) and
     * its gradient with respect to the inputs. The objective of each sample depends only on its own row, so the
     * gradient of the sum is each sample's own gradient. Everything returned belongs to {@code manager}.
     */
    public Gradient gradient(NDManager manager, NDArray inputs, int[] rows,
                             BiFunction<NDArray, NDArray, NDArray> objective) {
        return gradient(manager, inputs, rows, x -> x, objective);
    }

    /**
     * As {@link #gradient(NDManager, NDArray, int[], BiFunction)}, but the model sees {@code toModelInput(variable)}
     * and the gradient is taken with respect to {@code variable} (e.g. C&W's tanh change of variables); the objective
     * gets the logits and the model input.
     */
    public Gradient gradient(NDManager manager, NDArray variable, int[] rows, UnaryOperator<NDArray> toModelInput,
                             BiFunction<NDArray, NDArray, NDArray> objective) {
        count(forwardPasses, rows, variable);
        count(backwardPasses, rows, variable);
        passLog.add((int) variable.getShape().get(0), 2);
        NDArray leaf = variable.duplicate();
        leaf.attach(manager);
        leaf.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray input = toModelInput.apply(leaf);
            long began = System.nanoTime();
            NDArray logits = forward(input);
            modelNanos += System.nanoTime() - began;
            NDArray perSample = objective.apply(logits, input);
            NDArray total = perSample.sum();
            began = System.nanoTime();
            collector.backward(total);
            modelNanos += System.nanoTime() - began;
            NDArray gradient = leaf.getGradient().duplicate();
            gradient.attach(manager);
            NDArray detachedLogits = logits.stopGradient();
            NDArray detachedObjective = perSample.stopGradient();
            return new Gradient(detachedLogits, detachedObjective, gradient);
        }
    }

    private void count(long[] counter, int[] rows, NDArray inputs) {
        int n = rows == null ? (int) inputs.getShape().get(0) : rows.length;
        for (int i = 0; i < n; i++) {
            int row = rows == null ? i : rows[i];
            int sample = rowMap == null ? row : rowMap[row];
            if (sample < counter.length) counter[sample]++;
        }
    }

    /**
     * @param logits    the logits of the inputs, detached
     * @param objective the per-sample objective, detached
     * @param gradient  d(sum of objective)/d(inputs)
     */
    public record Gradient(NDArray logits, NDArray objective, NDArray gradient) {
    }


}
