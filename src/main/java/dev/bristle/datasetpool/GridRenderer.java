package dev.bristle.datasetpool;

import dev.bristle.ml.data.DistilledSet;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * A picture of a distilled set: one row per class, its images side by side (at most {@link #MAX_COLUMNS}), in
 * pixel space clamped to [0, 1] (synthetic images may overshoot).
 */
final class GridRenderer {

    static final int MAX_COLUMNS = 10;
    private static final int GAP = 1;
    private static final int BACKGROUND = 0xffffff;

    private GridRenderer() {
    }

    static byte[] png(DistilledSet set, int classes) throws IOException {
        DistilledSet pixels = set.toPixels();
        int[] shape = pixels.shape();
        int channels = shape[1];
        int height = shape[2];
        int width = shape[3];
        int plane = height * width;
        int[] column = new int[classes];
        BufferedImage image = new BufferedImage(MAX_COLUMNS * (width + GAP) + GAP, classes * (height + GAP) + GAP,
                BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) image.setRGB(x, y, BACKGROUND);
        }
        float[] values = pixels.images();
        for (int i = 0; i < pixels.count(); i++) {
            int label = pixels.labels()[i];
            if (label < 0 || label >= classes || column[label] >= MAX_COLUMNS) continue;
            int left = GAP + column[label]++ * (width + GAP);
            int top = GAP + label * (height + GAP);
            int base = i * channels * plane;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int p = y * width + x;
                    int r = byteOf(values[base + p]);
                    int g = channels == 3 ? byteOf(values[base + plane + p]) : r;
                    int b = channels == 3 ? byteOf(values[base + 2 * plane + p]) : r;
                    image.setRGB(left + x, top + y, (r << 16) | (g << 8) | b);
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static int byteOf(float value) {
        return Math.round(Math.max(0f, Math.min(1f, value)) * 255f);
    }
}
