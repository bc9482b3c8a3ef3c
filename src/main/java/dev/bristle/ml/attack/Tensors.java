package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;

/** Per-sample reductions of image batches (N, C, H, W). */
final class Tensors {

    private Tensors() {
    }

    /**
     * A copy of {@code array} owned by the manager of {@code owner}, so operations called on it leave their results
     * there (e.g. in a step's manager rather than the batch's).
     */
    static NDArray local(NDArray array, NDArray owner) {
        return copyInto(array, owner.getManager());
    }

    /** A copy of {@code array} owned by {@code manager}. */
    static NDArray copyInto(NDArray array, NDManager manager) {
        NDArray copy = array.duplicate();
        copy.attach(manager);
        return copy;
    }

    /**
     * Per sample: {@code whenTrue}'s row where {@code mask} (N, boolean) holds, else {@code whenFalse}'s. The result
     * belongs to the manager of {@code whenTrue}.
     */
    static NDArray choose(NDArray mask, NDArray whenTrue, NDArray whenFalse) {
        long[] perSample = new long[whenTrue.getShape().dimension()];
        java.util.Arrays.fill(perSample, 1);
        perSample[0] = -1;
        NDArray expanded = Tensors.local(mask, whenTrue).reshape(perSample).broadcast(whenTrue.getShape());
        return NDArrays.where(expanded, whenTrue, whenFalse);
    }

    /** L2 norm of each sample, shape (N, 1, 1, 1). */
    static NDArray l2PerSample(NDArray x) {
        return x.square().sum(new int[] {1, 2, 3}, true).sqrt();
    }

    /** L-inf norm of each sample, shape (N, 1, 1, 1). */
    static NDArray linfPerSample(NDArray x) {
        long n = x.getShape().get(0);
        return x.abs().reshape(n, -1).max(new int[] {1}).reshape(n, 1, 1, 1);
    }
}
