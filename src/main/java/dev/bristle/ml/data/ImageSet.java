package dev.bristle.ml.data;

import dev.bristle.ml.torch.HostTensor;

/**
 * Labelled images in pixel space.
 *
 * @param pixels     NCHW, row-major, each value in [0, 1]
 * @param labels     class index of each image, in [0, classCount)
 * @param count      number of images (N)
 * @param channels   C
 * @param height     H
 * @param width      W
 * @param classCount number of classes of the dataset
 */
public record ImageSet(float[] pixels, int[] labels, int count, int channels, int height, int width, int classCount) {

    public ImageSet {
        long expected = (long) count * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(count + " images of " + channels + "x" + height + "x" + width
                    + " need " + expected + " pixel values, got " + pixels.length);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException(count + " images but " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classCount) {
                throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is outside [0, "
                        + classCount + ")");
            }
        }
    }

    public int imageSize() {
        return channels * height * width;
    }

    /** The first {@code limit} images (all of them if there are fewer), in order. */
    public ImageSet subset(int limit) {
        if (limit < 0) throw new IllegalArgumentException("subset limit must be >= 0, got " + limit);
        int n = Math.min(limit, count);
        if (n == count) return this;
        float[] firstPixels = java.util.Arrays.copyOf(pixels, n * imageSize());
        return new ImageSet(firstPixels, java.util.Arrays.copyOf(labels, n), n, channels, height, width, classCount);
    }

    /** Images {@code start} to {@code start + n - 1}, in order. */
    public ImageSet slice(int start, int n) {
        if (start < 0 || n < 0 || start + n > count) {
            throw new IllegalArgumentException("images " + start + " to " + (start + n) + " are not within the "
                    + count + " images");
        }
        if (start == 0 && n == count) return this;
        float[] range = java.util.Arrays.copyOfRange(pixels, start * imageSize(), (start + n) * imageSize());
        return new ImageSet(range, java.util.Arrays.copyOfRange(labels, start, start + n), n, channels, height, width,
                classCount);
    }

    /** The images as an N x C x H x W float tensor (shares the pixel array). */
    public HostTensor imagesTensor() {
        return HostTensor.ofFloats(pixels, count, channels, height, width);
    }

    /** The labels as an int64 tensor of length N. */
    public HostTensor labelsTensor() {
        long[] wide = new long[count];
        for (int i = 0; i < count; i++) wide[i] = labels[i];
        return HostTensor.ofLongs(wide, count);
    }
}
