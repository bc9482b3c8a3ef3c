package dev.bristle.ml.train;

import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.DistilledSet;
import dev.bristle.ml.data.Normalization;

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
        if (labels.length == 0) throw new InvalidInputException(source + ": no training images");
        long expected = (long) labels.length * channels * imageSize * imageSize;
        if (images.length != expected) {
            throw new InvalidInputException(source + ": " + labels.length + " labels need " + expected
                    + " image values (" + channels + "x" + imageSize + "x" + imageSize + " each), found " + images.length);
        }
        if (mean.length != channels || std.length != channels) {
            throw new InvalidInputException(source + ": " + channels + " channels need " + channels
                    + " means and stds, found " + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new InvalidInputException(source + ": label " + labels[i] + " of image " + i
                        + " is outside 0.." + (classes - 1));
            }
        }
        for (int i = 0; i < images.length; i++) {
            if (!Float.isFinite(images[i])) {
                throw new InvalidInputException(source + ": image value " + i + " is " + images[i]);
            }
        }
    }

    /**
     * A distilled set as students of {@code dataset} train on it. Sets stored normalized (DC, DSA, DM, MTT) are taken
     * as stored, with the mean and std they were normalized with; sets stored as pixels are normalized here with the
     * dataset's mean and std, so every student trains in the normalized space BEARD's networks see.
     *
     * @throws InvalidInputException when the set does not fit the dataset (shape, channels, labels, values)
     */
    public static TrainingImages from(DistilledSet set, DatasetKind dataset) {
        set.validateFor(dataset);
        Normalization stored = set.normalization().normalization();
        int[] shape = set.shape();
        if (stored.type() == Normalization.Type.MEAN_STD) {
            return new TrainingImages(set.source() + ", " + stored.describe() + " (" + set.normalization().reason()
                    + ")", set.images(), set.labels(), shape[1], shape[2], dataset.classCount(),
                    stored.dataset().mean(), stored.dataset().std());
        }
        float[] mean = dataset.mean();
        float[] std = dataset.std();
        int plane = shape[2] * shape[3];
        float[] normalized = new float[set.images().length];
        for (int i = 0; i < normalized.length; i++) {
            int c = (i / plane) % shape[1];
            normalized[i] = (set.images()[i] - mean[c]) / std[c];
        }
        return new TrainingImages(set.source() + ", stored as pixels (" + set.normalization().reason()
                + "), normalized here with the " + Normalization.meanStd(dataset).describe(), normalized,
                set.labels(), shape[1], shape[2], dataset.classCount(), mean, std);
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
