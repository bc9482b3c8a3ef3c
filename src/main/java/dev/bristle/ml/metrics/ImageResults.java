package dev.bristle.ml.metrics;

/**
 * Per-image results of a pass beyond its correctness, each array in data order: what an evaluation record keeps so
 * a verifier can recompute any image.
 *
 * @param prediction the predicted class of each image after the pass
 * @param passes     model passes (forward + backward) spent on each image, the scoring pass included
 * @param norm       the L2 norm of each image's perturbation for a minimal-perturbation attack (CW, DeepFool); null
 *                   otherwise
 */
public record ImageResults(int[] prediction, int[] passes, double[] norm) {

    public ImageResults {
        if (prediction == null || passes == null || passes.length != prediction.length
                || (norm != null && norm.length != prediction.length)) {
            throw new IllegalArgumentException("per-image results need a prediction and passes for every image (and"
                    + " norms, when given)");
        }
    }
}
