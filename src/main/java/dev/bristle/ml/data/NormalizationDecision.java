package dev.bristle.ml.data;

import dev.bristle.input.InvalidInputException;

/**
 * The normalization in force for a distilled set and why: declared by the caller, or detected from the value range.
 * Both parts are meant to be recorded with any result computed on the set.
 */
public record NormalizationDecision(Normalization normalization, String reason) {

    public static NormalizationDecision declared(Normalization normalization) {
        return new NormalizationDecision(normalization, "declared by the caller");
    }

    /**
     * Decides from the value range: values inside [0, 1] are pixels; negative values cannot be pixels, so they are
     * taken as normalized with the dataset's own mean/std (what DC, DSA, DM and MTT store). Values from 0 to above 1
     * (for example 0..255) fit neither and are refused rather than guessed.
     */
    public static NormalizationDecision detect(float[] values, DatasetKind dataset) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        String range = String.format(java.util.Locale.ROOT, "values span [%.4f, %.4f]", min, max);
        if (values.length == 0 || Float.isNaN(min) || Float.isNaN(max)) {
            throw new InvalidInputException("cannot detect the normalization of an empty or non-finite image set");
        }
        if (min >= 0 && max <= 1) {
            return new NormalizationDecision(Normalization.PIXELS_0_1, "detected: " + range + ", inside [0, 1]");
        }
        if (min < 0) {
            Normalization meanStd = Normalization.meanStd(dataset);
            return new NormalizationDecision(meanStd, "detected: " + range + "; negative values are not pixels,"
                    + " so the images are taken as normalized with the " + meanStd.describe());
        }
        throw new InvalidInputException("cannot detect the normalization: " + range + " are neither pixels in"
                + " [0, 1] nor mean/std-normalized (no negative values); declare it");
    }
}
