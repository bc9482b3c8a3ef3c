package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Per-sample objectives of logits (N, classes); each array one returns shape (N) and belongs to the logits' manager.
 */
final class Losses {

    private Losses() {
    }

    /** One-hot rows (N, classes) of int64 labels, float32, owned by the manager of {@code like}. */
    static NDArray oneHot(NDArray labels, NDArray like) {
        return Tensors.local(labels, like).oneHot((int) like.getShape().get(1));
    }

    /** Cross-entropy of each sample with respect to {@code labels}. */
    static NDArray crossEntropy(NDArray logits, NDArray labels) {
        return logits.logSoftmax(1).mul(oneHot(labels, logits)).sum(new int[] {1}).neg();
    }

    /**
     * The objective attacks ascend: cross-entropy of the true label (untargeted) or minus the cross-entropy of the
     * target (targeted).
     */
    static NDArray crossEntropyObjective(NDArray logits, NDArray labels, NDArray targets) {
        return targets == null ? crossEntropy(logits, labels) : crossEntropy(logits, targets).neg();
    }

    /** Logit of the labelled class. */
    static NDArray labelLogit(NDArray logits, NDArray labels) {
        return logits.mul(oneHot(labels, logits)).sum(new int[] {1});
    }

    /** The k-th largest logit of each row (k = 1 is the largest). */
    static NDArray kthLargest(NDArray sortedAscending, int k) {
        long classes = sortedAscending.getShape().get(1);
        return sortedAscending.get(new NDIndex(":, {}", classes - k));
    }

    /**
     * The margin of row {@code row} of host logits ({@code classes} per row), below zero when fooled: untargeted, the
     * label's logit minus the largest other; targeted, the largest logit other than the target minus the target's.
     */
    static float margin(float[] logits, int row, long aimed, int classes, boolean targeted) {
        float own = logits[row * classes + (int) aimed];
        float other = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) if (k != aimed) other = Math.max(other, logits[row * classes + k]);
        return targeted ? other - own : own - other;
    }
}
