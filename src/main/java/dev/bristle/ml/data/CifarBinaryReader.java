package dev.bristle.ml.data;

import dev.bristle.input.InvalidInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The CIFAR binary version ({@code test_batch.bin}, {@code data_batch_N.bin}, CIFAR-100's {@code test.bin}): fixed
 * records of label byte(s) and 3072 pixel bytes (1024 red, 1024 green, 1024 blue, rows top to bottom). CIFAR-100
 * records carry a coarse and then a fine label byte; the fine label is the class.
 */
public final class CifarBinaryReader {

    private static final int PIXELS = 3 * 32 * 32;

    private CifarBinaryReader() {
    }

    public static ImageSet read(DatasetKind kind, Path... files) throws IOException {
        return read(kind, List.of(files));
    }

    /** Reads the files in order as one set. */
    public static ImageSet read(DatasetKind kind, List<Path> files) throws IOException {
        int labelBytes = switch (kind) {
            case CIFAR10 -> 1;
            case CIFAR100 -> 2;
            default -> throw new InvalidInputException(kind + " has no CIFAR binary format; its test split comes"
                    + " from the data directory");
        };
        int record = labelBytes + PIXELS;
        long total = 0;
        for (Path file : files) {
            long size = Files.size(file);
            if (size == 0 || size % record != 0) {
                throw new DatasetFormatException(file + " has " + size + " bytes, not a positive multiple of the "
                        + record + "-byte " + kind + " record (truncated, or not a " + kind + " binary batch?)");
            }
            total += size / record;
        }
        int count = Math.toIntExact(total);
        float[] pixels = new float[Math.multiplyExact(count, PIXELS)];
        int[] labels = new int[count];
        int image = 0;
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            for (int at = 0; at < bytes.length; at += record, image++) {
                int label = bytes[at + labelBytes - 1] & 0xff;
                if (label >= kind.classCount()) {
                    throw new DatasetFormatException(file + ": record " + (at / record) + " has label " + label
                            + ", outside [0, " + kind.classCount() + ") for " + kind);
                }
                labels[image] = label;
                Pixels.toUnit(bytes, at + labelBytes, pixels, image * PIXELS, PIXELS);
            }
        }
        return new ImageSet(pixels, labels, count, 3, 32, 32, kind.classCount());
    }
}
