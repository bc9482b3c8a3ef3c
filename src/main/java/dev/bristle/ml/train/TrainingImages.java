package dev.bristle.ml.train;

import java.util.Arrays;

/**
 * A distilled set as the students train on it: images as stored (NCHW; for the DC/DSA/DM/MTT sets already
 * normalized with the dataset's mean and std), their labels, and that normalization, which the trained student
 * carries so it can later take pixel inputs.
 *
 * @param source      where the images came from (file name), for messages and records
 * @param images      {@code count * channels * size * size} values, row-major NCHW
 * @param labels      class of each image
 * @param channels    1 or 3
 * @param imageSize   height = width
 * @param classes     number of classes of the dataset
 * @param mean        per-channel mean the images were normalized with
 * @param std         per-channel std the images were normalized with
 */
public record TrainingImages(String source, float[] images, int[] labels, int channels, int imageSize, int classes,
                             float[] mean, float[] std) {

    public TrainingImages {
        if (labels.length == 0) throw new IllegalArgumentException(source + ": no training images");
        long expected = (long) labels.length * channels * imageSize * imageSize;
        if (images.length != expected) {
            throw new IllegalArgumentException(source + ": " + labels.length + " labels need " + expected
                    + " image values (" + channels + "x" + imageSize + "x" + imageSize + " each), found " + images.length);
        }
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException(source + ": " + channels + " channels need " + channels
                    + " means and stds, found " + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(source + ": label " + labels[i] + " of image " + i
                        + " is outside 0.." + (classes - 1));
            }
        }
        for (int i = 0; i < images.length; i++) {
            if (!Float.isFinite(images[i])) {
                throw new IllegalArgumentException(source + ": image value " + i + " is " + images[i]);
            }
        }
    }

    public int count() {
        return labels.length;
    }

    public int imageLength() {
        return channels * imageSize * imageSize;
    }

    public DsaAugmentation.Dims dims(int count) {
        return new DsaAugmentation.Dims(count, channels, imageSize, imageSize);
    }

    /** Images of each class. */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (int label : labels) counts[label]++;
        return counts;
    }

    /** The images at {@code indices}, in that order. */
    public TrainingImages subset(int[] indices, String description) {
        int length = imageLength();
        float[] chosen = new float[indices.length * length];
        int[] chosenLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(images, indices[i] * length, chosen, i * length, length);
            chosenLabels[i] = labels[indices[i]];
        }
        return new TrainingImages(source + " (" + description + ")", chosen, chosenLabels, channels, imageSize,
                classes, mean, std);
    }
}
