package dev.bristle.ml.attack;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
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
     * caches, so a larger batch runs in equal slices of at most this many (17 rows as 9 and 8, not as 16 and a costly
     * single row), each slice's arrays freed before the next, so the next reuses memory still in the caches. A GPU
     * takes the batch whole.
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
    /** Passes by batch size, and the wall time inside them, since the target was made. */
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
        long began = System.nanoTime();
        NDManager owner = inputs.getManager();
        long[] bounds = sliceBounds(inputs);
        NDList parts = new NDList();
        for (int i = 0; i + 1 < bounds.length; i++) {
            try (NDManager slice = owner.newSubManager()) {
                NDArray part = inputs.get(rows(bounds[i], bounds[i + 1]));
                part.attach(slice);
                parts.add(kept(model.logitsWithoutGradient(part), owner));
            }
        }
        NDArray logits = joined(parts, owner);
        passLog.add((int) inputs.getShape().get(0), 1, System.nanoTime() - began);
        return logits;
    }

    /**
     * Where the slices of a pass over {@code inputs} start, and where the last ends: equal slices of at most
     * {@link #CPU_SLICE} rows on the CPU, the whole batch on a GPU.
     */
    private static long[] sliceBounds(NDArray inputs) {
        long rows = inputs.getShape().get(0);
        int slices = inputs.getDevice().isGpu() ? 1 : (int) Math.max(1, (rows + CPU_SLICE - 1) / CPU_SLICE);
        long[] bounds = new long[slices + 1];
        for (int i = 0; i <= slices; i++) bounds[i] = i * rows / slices;
        return bounds;
    }

    private static NDIndex rows(long from, long to) {
        return new NDIndex("{}:{}", from, to);
    }

    /**
     * Seconds spent inside the model's passes (forward, and backward to the inputs) since this target was made: the
     * rest of an attack's time is its own arithmetic and bookkeeping.
     */
    public double modelSeconds() {
        return passLog.nanos() / 1e9;
    }

    /** The passes and the model time so far, for {@link PassRate.Snapshot#since}. */
    PassRate.Snapshot passSnapshot() {
        return passLog.snapshot();
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
     *
     * <p>On the CPU a larger batch runs slice by slice, each slice's forward and backward done and its graph freed
     * before the next (see {@link #CPU_SLICE}). The objective still sees the whole batch, as its callers built it (it
     * may hold per-row labels, masks or clean images): the slice's rows carry the graph, the other rows are constants
     * (zero logits, the model input without gradient) whose objective is dropped before the sum, so each row's value
     * and gradient are its own, as the objective's rows are independent.
     */
    public Gradient gradient(NDManager manager, NDArray variable, int[] rows, UnaryOperator<NDArray> toModelInput,
                             BiFunction<NDArray, NDArray, NDArray> objective) {
        count(forwardPasses, rows, variable);
        count(backwardPasses, rows, variable);
        long rowCount = variable.getShape().get(0);
        long[] bounds = sliceBounds(variable);
        long passNanos = 0;
        NDList logits = new NDList();
        NDList objectives = new NDList();
        NDList gradients = new NDList();
        try (NDManager call = manager.newSubManager();
             GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray constantInput = null;
            if (bounds.length > 2) {
                NDArray constant = variable.duplicate();
                constant.attach(call);
                constantInput = toModelInput.apply(constant);
            }
            for (int i = 0; i + 1 < bounds.length; i++) {
                long from = bounds[i];
                long to = bounds[i + 1];
                try (NDManager slice = call.newSubManager()) {
                    NDArray leaf = variable.get(rows(from, to)).duplicate();
                    leaf.attach(slice);
                    leaf.setRequiresGradient(true);
                    NDArray input = toModelInput.apply(leaf);
                    long began = System.nanoTime();
                    NDArray sliceLogits = model.logits(input);
                    passNanos += System.nanoTime() - began;
                    NDArray perSample = objective.apply(wholeBatch(null, sliceLogits, from, to, rowCount, slice),
                            wholeBatch(constantInput, input, from, to, rowCount, slice)).get(rows(from, to));
                    NDArray total = perSample.sum();
                    began = System.nanoTime();
                    collector.backward(total);
                    passNanos += System.nanoTime() - began;
                    gradients.add(kept(leaf.getGradient(), call));
                    logits.add(kept(sliceLogits.stopGradient(), call));
                    objectives.add(kept(perSample.stopGradient(), call));
                }
            }
            passLog.add((int) rowCount, 2, passNanos);
            return new Gradient(joined(logits, manager), joined(objectives, manager), joined(gradients, manager));
        }
    }

    /**
     * The whole batch with rows {@code from} to {@code to} taken from {@code slice} and the others from
     * {@code constant} (zeros where it is null), in {@code manager}; {@code slice} itself when it is the whole batch.
     */
    private static NDArray wholeBatch(NDArray constant, NDArray slice, long from, long to, long rowCount,
                                      NDManager manager) {
        NDList parts = new NDList();
        if (from > 0) parts.add(constantRows(constant, slice, 0, from, manager));
        parts.add(slice);
        if (to < rowCount) parts.add(constantRows(constant, slice, to, rowCount, manager));
        return parts.size() == 1 ? slice : NDArrays.concat(parts);
    }

    private static NDArray constantRows(NDArray constant, NDArray like, long from, long to, NDManager manager) {
        if (constant == null) {
            long[] dims = like.getShape().getShape();
            dims[0] = to - from;
            return manager.zeros(new Shape(dims));
        }
        NDArray part = constant.get(rows(from, to));
        part.attach(manager);
        return part;
    }

    /** {@code array}, moved to {@code manager} so it outlives the slice that made it. */
    private static NDArray kept(NDArray array, NDManager manager) {
        array.attach(manager);
        return array;
    }

    /** The slices' arrays as one, in {@code manager}. */
    private static NDArray joined(NDList parts, NDManager manager) {
        NDArray joined = parts.size() == 1 ? parts.singletonOrThrow() : NDArrays.concat(parts);
        joined.attach(manager);
        return joined;
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
