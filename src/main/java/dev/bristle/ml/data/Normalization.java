package dev.bristle.ml.data;

import java.util.Arrays;

/**
 * How image values are stored: plain pixels in [0, 1], or normalized per channel with a dataset's mean and std
 * ({@code (pixel - mean) / std}), as DC, DSA, DM and MTT save their synthetic images.
 *
 * @param type    which of the two
 * @param dataset whose mean and std, for MEAN_STD; null for PIXELS_0_1
 */
public record Normalization(Type type, DatasetKind dataset) {

    public enum Type { PIXELS_0_1, MEAN_STD }

    public static final Normalization PIXELS_0_1 = new Normalization(Type.PIXELS_0_1, null);

    public Normalization {
        if ((type == Type.MEAN_STD) != (dataset != null)) {
            throw new IllegalArgumentException("MEAN_STD needs a dataset, PIXELS_0_1 takes none");
        }
    }

    public static Normalization meanStd(DatasetKind dataset) {
        return new Normalization(Type.MEAN_STD, dataset);
    }

    /** Converts NCHW values stored this way to pixel space (x * std + mean); values are not clamped. */
    public float[] toPixels(float[] values, int channels, int plane) {
        if (type == Type.PIXELS_0_1) return values.clone();
        float[] mean = dataset.mean();
        float[] std = dataset.std();
        if (channels != mean.length) {
            throw new IllegalArgumentException(channels + "-channel images cannot use the " + dataset
                    + " mean/std, which has " + mean.length + " channels");
        }
        float[] pixels = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            int c = (i / plane) % channels;
            pixels[i] = values[i] * std[c] + mean[c];
        }
        return pixels;
    }

    public String describe() {
        return type == Type.PIXELS_0_1 ? "pixels in [0, 1]"
                : dataset + " mean " + Arrays.toString(dataset.mean()) + " / std " + Arrays.toString(dataset.std());
    }
}
