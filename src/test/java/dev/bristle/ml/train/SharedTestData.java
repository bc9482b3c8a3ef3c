package dev.bristle.ml.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real data the training tests use, read from the shared data folder ({@code bristle.shared}): the DC-distilled
 * CIFAR-10 sets through their raw exports, and the 932 exact CIFAR-10 test images.
 */
final class SharedTestData {

    static final float[] CIFAR10_MEAN = {0.4914f, 0.4822f, 0.4465f};
    static final float[] CIFAR10_STD = {0.2023f, 0.1994f, 0.2010f};
    private static final int CIFAR_IMAGE = 3 * 32 * 32;

    private SharedTestData() {
    }

    static Path shared() {
        String folder = System.getProperty("bristle.shared");
        if (folder == null) throw new IllegalStateException("system property bristle.shared is not set");
        return Path.of(folder);
    }

    /** DC's CIFAR-10 set at {@code ipc} images per class: float32 NCHW little-endian, normalized, and u8 labels. */
    static TrainingImages dcCifar10(int ipc) throws IOException {
        Path folder = shared().resolve("data/distilled/DC");
        String stem = "res_DC_CIFAR10_ConvNet_" + ipc + "ipc";
        Path imageFile = folder.resolve(stem + ".images.f32le");
        byte[] labelBytes = Files.readAllBytes(folder.resolve(stem + ".labels.u8"));
        byte[] imageBytes = Files.readAllBytes(imageFile);
        if (imageBytes.length != labelBytes.length * CIFAR_IMAGE * 4) {
            throw new IOException(imageFile + ": expected " + labelBytes.length * CIFAR_IMAGE * 4L + " bytes for "
                    + labelBytes.length + " images, found " + imageBytes.length);
        }
        float[] images = new float[labelBytes.length * CIFAR_IMAGE];
        ByteBuffer.wrap(imageBytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(images);
        int[] labels = new int[labelBytes.length];
        for (int i = 0; i < labels.length; i++) labels[i] = labelBytes[i] & 0xff;
        return new TrainingImages(stem, images, labels, 3, 32, 10, CIFAR10_MEAN, CIFAR10_STD);
    }

    /** Labelled pixel-space images ([0, 1], NCHW). */
    record PixelImages(float[] pixels, int[] labels) {
    }

    /** The first 932 official CIFAR-10 test images, exact (binary records: label byte, then R, G, B planes). */
    static PixelImages cifar10TestFirst932() throws IOException {
        Path file = shared().resolve("data/cifar-10-partial-official/test_first932.bin");
        byte[] bytes = Files.readAllBytes(file);
        int record = 1 + CIFAR_IMAGE;
        if (bytes.length % record != 0) {
            throw new IOException(file + ": " + bytes.length + " bytes is not a whole number of " + record
                    + "-byte CIFAR records");
        }
        int count = bytes.length / record;
        float[] pixels = new float[count * CIFAR_IMAGE];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = bytes[i * record] & 0xff;
            for (int k = 0; k < CIFAR_IMAGE; k++) pixels[i * CIFAR_IMAGE + k] = (bytes[i * record + 1 + k] & 0xff) / 255f;
        }
        return new PixelImages(pixels, labels);
    }

    static boolean heavy() {
        return Boolean.getBoolean("bristle.heavy");
    }
}
