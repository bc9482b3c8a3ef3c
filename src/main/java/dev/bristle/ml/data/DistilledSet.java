package dev.bristle.ml.data;

import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.torch.HostTensor;

import java.util.Arrays;

/**
 * A distilled (synthetic) training set as its authors published it.
 *
 * @param images        NCHW values as stored (see {@code normalization})
 * @param labels        class of each image
 * @param shape         N, C, H, W
 * @param normalization how {@code images} are stored, and why that is believed
 * @param source        file(s) and, for multi-experiment files, which experiment
 */
public record DistilledSet(float[] images, int[] labels, int[] shape, NormalizationDecision normalization,
                           String source) {

    public DistilledSet {
        if (shape.length != 4) {
            throw new InvalidInputException(source + ": images should be N x C x H x W, found shape "
                    + Arrays.toString(shape));
        }
        if ((long) shape[0] * shape[1] * shape[2] * shape[3] != images.length) {
            throw new InvalidInputException(source + ": shape " + Arrays.toString(shape) + " does not match "
                    + images.length + " values");
        }
        if (labels.length != shape[0]) {
            throw new InvalidInputException(source + " has " + shape[0] + " images but " + labels.length + " labels");
        }
        shape = shape.clone();
    }

    public int count() {
        return shape[0];
    }

    /** The same set in pixel space (x * std + mean for normalized sets); synthetic pixels may leave [0, 1]. */
    public DistilledSet toPixels() {
        Normalization n = normalization.normalization();
        if (n.type() == Normalization.Type.PIXELS_0_1) return this;
        float[] pixels = n.toPixels(images, shape[1], shape[2] * shape[3]);
        return new DistilledSet(pixels, labels, shape, new NormalizationDecision(Normalization.PIXELS_0_1,
                "converted to pixels from " + n.describe() + " (" + normalization.reason() + ")"), source);
    }

    /**
     * Checks the set fits {@code dataset}: image shape and channels, labels in range, every class present,
     * finite values. Throws InvalidInputException naming the source and the first defect.
     */
    public DistilledSet validateFor(DatasetKind dataset) {
        int size = dataset.imageSize();
        if (shape[1] != dataset.channels()) {
            throw new InvalidInputException(source + ": images have " + shape[1] + " channels, " + dataset
                    + " has " + dataset.channels());
        }
        if (shape[2] != size || shape[3] != size) {
            throw new InvalidInputException(source + ": images are " + shape[2] + "x" + shape[3] + ", " + dataset
                    + " images are " + size + "x" + size);
        }
        boolean[] seen = new boolean[dataset.classCount()];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= dataset.classCount()) {
                throw new InvalidInputException(source + ": label " + labels[i] + " of image " + i
                        + " is outside [0, " + dataset.classCount() + ") for " + dataset);
            }
            seen[labels[i]] = true;
        }
        int classes = 0;
        for (boolean s : seen) classes += s ? 1 : 0;
        if (classes != dataset.classCount()) {
            throw new InvalidInputException(source + ": labels cover " + classes + " classes, " + dataset + " has "
                    + dataset.classCount() + " (class count mismatch)");
        }
        dev.bristle.ml.torch.TensorChecks.requireFinite("images of " + source, imagesTensor());
        return this;
    }

    public HostTensor imagesTensor() {
        return HostTensor.ofFloats(images, shape[0], shape[1], shape[2], shape[3]);
    }
}
