package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The samples of a batch an iterative attack still spends passes on. Where the protocol stops on success
 * ({@link AttackProtocol#stopsOnSuccess()}), a sample whose iterate the model already gets wrong (untargeted) or
 * classifies as the target (targeted) is retired with that iterate as its result, and the attack goes on with the
 * others only: its arrays shrink to the open rows ({@link #keep}). Elsewhere every sample stays open to the end, as
 * torchattacks runs them, and the attack's last iterate is its result.
 *
 * <p>Arrays it hands out belong to the batch's manager (the manager of the clean images).
 */
final class Survivors {

    private final AttackTarget target;
    private final NDManager batch;
    private final boolean stopsOnSuccess;
    private final int imageLength;
    /** The retired samples' results in the attack space, batch-sized, written as they retire. */
    private final float[] retired;
    private final int batchSize;
    /** The batch row of each open row. */
    private int[] rows;
    private NDArray images;
    private NDArray labels;
    private NDArray targets;
    /** Open rows to keep after the last {@link #retireFooled}; null when none retired. */
    private NDArray keepMask;
    private boolean[] keepFlags;

    Survivors(AttackTarget target, NDArray images, NDArray labels, NDArray targets) {
        this.target = target;
        this.batch = images.getManager();
        this.stopsOnSuccess = target.protocol().stopsOnSuccess();
        int n = (int) images.getShape().get(0);
        this.imageLength = (int) (images.getShape().size() / Math.max(n, 1));
        this.retired = stopsOnSuccess ? new float[n * imageLength] : null;
        this.batchSize = n;
        this.rows = java.util.stream.IntStream.range(0, n).toArray();
        this.images = images;
        this.labels = labels;
        this.targets = targets;
    }

    /** Batch rows of the open samples, in the order of the attack's arrays (the rows to count passes to). */
    int[] rows() {
        return rows;
    }

    boolean isEmpty() {
        return rows.length == 0;
    }

    /** Clean images of the open samples. */
    NDArray images() {
        return images;
    }

    /** True labels of the open samples. */
    NDArray labels() {
        return labels;
    }

    /** Targets of the open samples, or null when untargeted. */
    NDArray targets() {
        return targets;
    }

    /**
     * Retires the open samples that {@code logits} (of {@code iterates}, row for row) show fooled, keeping those
     * iterates as their results. Returns whether any retired: the attack then passes each of its per-sample arrays
     * through {@link #keep}.
     */
    boolean retireFooled(NDArray logits, NDArray iterates) {
        if (!stopsOnSuccess || rows.length == 0) return false;
        long[] predicted = logits.argMax(1).toLongArray();
        long[] aimed = (targets == null ? labels : targets).toLongArray();
        boolean[] keep = new boolean[rows.length];
        int kept = 0;
        for (int r = 0; r < rows.length; r++) {
            boolean fooled = targets == null ? predicted[r] != aimed[r] : predicted[r] == aimed[r];
            keep[r] = !fooled;
            if (keep[r]) kept++;
        }
        if (kept == rows.length) return false;
        float[] values = iterates.toFloatArray();
        int[] open = new int[kept];
        for (int r = 0, k = 0; r < rows.length; r++) {
            if (keep[r]) {
                open[k++] = rows[r];
            } else {
                System.arraycopy(values, r * imageLength, retired, rows[r] * imageLength, imageLength);
            }
        }
        if (keepMask != null) keepMask.close();
        keepMask = batch.create(keep);
        keepFlags = keep;
        boolean original = rows.length == batchSize;
        rows = open;
        images = replace(images, original);
        labels = replace(labels, original);
        if (targets != null) targets = replace(targets, original);
        return true;
    }

    /**
     * As {@link #retireFooled(NDArray, NDArray)}, from a forward pass of {@code iterates} of its own (an attack whose
     * passes do not give the iterate's logits); no pass where the protocol does not stop on success.
     */
    boolean retireFooled(NDArray iterates) {
        if (!stopsOnSuccess || rows.length == 0) return false;
        try (NDManager check = batch.newSubManager()) {
            return retireFooled(target.logits(Tensors.copyInto(iterates, check), rows), iterates);
        }
    }

    /** The open rows of one of this object's arrays, closing the old one unless it is the caller's. */
    private NDArray replace(NDArray array, boolean callers) {
        NDArray kept = keep(array);
        if (!callers) array.close();
        return kept;
    }

    /** The rows of {@code perSample} (first axis: the open samples before the last retirement) still open. */
    NDArray keep(NDArray perSample) {
        NDArray kept = perSample.get(keepMask);
        kept.attach(batch);
        return kept;
    }

    /** The rows of a host array of per-sample values (first axis as for {@link #keep(NDArray)}) still open. */
    float[] keep(float[] perSample) {
        int width = perSample.length / keepFlags.length;
        float[] kept = new float[rows.length * width];
        for (int r = 0, k = 0; r < keepFlags.length; r++) {
            if (keepFlags[r]) System.arraycopy(perSample, r * width, kept, width * k++, width);
        }
        return kept;
    }

    /** As {@link #keep(float[])} for one value per sample. */
    long[] keep(long[] perSample) {
        long[] kept = new long[rows.length];
        for (int r = 0, k = 0; r < keepFlags.length; r++) if (keepFlags[r]) kept[k++] = perSample[r];
        return kept;
    }

    /** As {@link #keep(float[])} for flags. */
    boolean[] keep(boolean[] perSample) {
        boolean[] kept = new boolean[rows.length];
        for (int r = 0, k = 0; r < keepFlags.length; r++) if (keepFlags[r]) kept[k++] = perSample[r];
        return kept;
    }

    /**
     * The batch's adversarial images: each retired sample's kept iterate, and {@code finalIterates} (the open rows,
     * in order) for the others. Belongs to the batch's manager.
     */
    NDArray result(NDArray finalIterates) {
        if (!stopsOnSuccess) return finalIterates;
        float[] values = finalIterates.toFloatArray();
        float[] all = retired.clone();
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(values, r * imageLength, all, rows[r] * imageLength, imageLength);
        }
        NDArray result = batch.create(all, target.model().network().inputShape(batchSize));
        if (keepMask != null) keepMask.close();
        return result;
    }
}
