package dev.bristle.ml.distill;

import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.ImageSet;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The real training images a set is distilled from, in pixel space, with where they came from (recorded in the
 * provenance of everything distilled from them).
 *
 * @param dataset     which dataset they belong to
 * @param images      the images and labels
 * @param description the files they were read from and which part of them, e.g. "the first 932 images of each batch"
 */
public record SourceImages(DatasetKind dataset, ImageSet images, String description) {

    public SourceImages {
        if (images.channels() != dataset.channels() || images.height() != dataset.imageSize()
                || images.width() != dataset.imageSize() || images.classCount() != dataset.classCount()) {
            throw new InvalidInputException(description + " holds " + images.channels() + "x" + images.height()
                    + "x" + images.width() + " images of " + images.classCount() + " classes, not " + dataset + "'s");
        }
    }

    /** Indices of the images of each class, in file order. */
    public int[][] byClass() {
        List<List<Integer>> lists = new ArrayList<>();
        for (int c = 0; c < dataset.classCount(); c++) lists.add(new ArrayList<>());
        int[] labels = images.labels();
        for (int i = 0; i < labels.length; i++) lists.get(labels[i]).add(i);
        return lists.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }

    /**
     * {@code perClass} distinct indices of each class drawn with {@code random} ({@link #draw}), class after class: the first {@code perClass} are class 0's, and so on.
     *
     * @throws InvalidInputException when a class has fewer images
     */
    public int[] balancedSample(int perClass, SplittableRandom random) {
        int[][] classes = byClass();
        int[] chosen = new int[perClass * classes.length];
        for (int c = 0; c < classes.length; c++) {
            if (classes[c].length < perClass) {
                throw new InvalidInputException(description + " has " + classes[c].length + " images of class " + c
                        + ", fewer than the " + perClass + " asked for");
            }
            System.arraycopy(draw(classes[c], perClass, random), 0, chosen, c * perClass, perClass);
        }
        return chosen;
    }

    /** {@code count} distinct entries of {@code pool} (all of them when it has fewer), by a partial Fisher-Yates shuffle. */
    static int[] draw(int[] pool, int count, SplittableRandom random) {
        int[] copy = pool.clone();
        int n = Math.min(count, copy.length);
        for (int k = 0; k < n; k++) {
            int j = k + random.nextInt(copy.length - k);
            int swap = copy[k];
            copy[k] = copy[j];
            copy[j] = swap;
        }
        return java.util.Arrays.copyOf(copy, n);
    }

    /** The images at {@code indices}, normalized with the dataset's mean and std, as DC, DM and MTT store sets. */
    public float[] normalized(int[] indices) {
        int length = images.imageSize();
        int plane = images.height() * images.width();
        float[] mean = dataset.mean();
        float[] std = dataset.std();
        float[] out = new float[indices.length * length];
        for (int i = 0; i < indices.length; i++) {
            int from = indices[i] * length;
            for (int k = 0; k < length; k++) {
                int c = k / plane;
                out[i * length + k] = (images.pixels()[from + k] - mean[c]) / std[c];
            }
        }
        return out;
    }

    /** The labels of the images at {@code indices}. */
    public int[] labels(int[] indices) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) out[i] = images.labels()[indices[i]];
        return out;
    }
}
