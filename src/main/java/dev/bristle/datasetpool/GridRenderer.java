package dev.bristle.datasetpool;

import dev.bristle.ml.data.DistilledSet;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Pictures of a distilled set in pixel space clamped to [0, 1] (synthetic images may overshoot): the whole set with
 * one row per class (its first {@link #MAX_COLUMNS} images), or one class with all its images, {@link #MAX_COLUMNS}
 * to a line.
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
        int[] column = new int[classes];
        BufferedImage image = blank(MAX_COLUMNS * (shape[3] + GAP) + GAP, classes * (shape[2] + GAP) + GAP);
        for (int i = 0; i < pixels.count(); i++) {
            int label = pixels.labels()[i];
            if (label < 0 || label >= classes || column[label] >= MAX_COLUMNS) continue;
            draw(image, pixels.images(), i * shape[1] * shape[2] * shape[3], shape,
                    GAP + column[label]++ * (shape[3] + GAP), GAP + label * (shape[2] + GAP));
        }
        return encode(image);
    }

    /** One picture per class, in class order: all of the class's images, {@link #MAX_COLUMNS} to a line. */
    static List<byte[]> classPngs(DistilledSet set, int classes) throws IOException {
        DistilledSet pixels = set.toPixels();
        int[] shape = pixels.shape();
        int plane = shape[2] * shape[3];
        List<List<Integer>> members = new ArrayList<>();
        for (int c = 0; c < classes; c++) members.add(new ArrayList<>());
        for (int i = 0; i < pixels.count(); i++) {
            int label = pixels.labels()[i];
            if (label >= 0 && label < classes) members.get(label).add(i);
        }
        List<byte[]> pictures = new ArrayList<>();
        for (List<Integer> images : members) {
            int columns = Math.max(1, Math.min(MAX_COLUMNS, images.size()));
            int lines = Math.max(1, (images.size() + columns - 1) / columns);
            BufferedImage image = blank(columns * (shape[3] + GAP) + GAP, lines * (shape[2] + GAP) + GAP);
            for (int n = 0; n < images.size(); n++) {
                draw(image, pixels.images(), images.get(n) * shape[1] * plane, shape,
                        GAP + (n % columns) * (shape[3] + GAP), GAP + (n / columns) * (shape[2] + GAP));
            }
            pictures.add(encode(image));
        }
        return pictures;
    }

    private static BufferedImage blank(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) image.setRGB(x, y, BACKGROUND);
        }
        return image;
    }

    /** Draws the image whose values start at {@code base} with its top left corner at (left, top). */
    private static void draw(BufferedImage image, float[] values, int base, int[] shape, int left, int top) {
        int channels = shape[1];
        int height = shape[2];
        int width = shape[3];
        int plane = height * width;
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

    private static byte[] encode(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static int byteOf(float value) {
        return Math.round(Math.max(0f, Math.min(1f, value)) * 255f);
    }
}
