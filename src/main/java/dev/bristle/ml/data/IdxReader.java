package dev.bristle.ml.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * MNIST and Fashion-MNIST IDX files, plain or gzip-compressed: an image file (magic 0x00000803: count, rows,
 * columns, then unsigned bytes) and a label file (magic 0x00000801: count, then one byte per image).
 */
public final class IdxReader {

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    public static ImageSet read(DatasetKind kind, Path imagesFile, Path labelsFile) throws IOException {
        if (kind != DatasetKind.MNIST && kind != DatasetKind.FASHION_MNIST) {
            throw new IllegalArgumentException(kind + " is not stored in IDX files");
        }
        byte[] images;
        int count;
        int size = kind.imageSize();
        try (DataInputStream in = open(imagesFile)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) throw badMagic(imagesFile, magic, IMAGES_MAGIC);
            count = in.readInt();
            int rows = in.readInt();
            int columns = in.readInt();
            if (count < 0 || rows != size || columns != size) {
                throw new DatasetFormatException(imagesFile + " declares " + count + " images of " + rows + "x"
                        + columns + "; " + kind + " images are " + size + "x" + size);
            }
            images = readExactly(in, imagesFile, Math.multiplyExact(count, size * size));
        } catch (EOFException e) {
            throw new DatasetFormatException(imagesFile + " ends inside its header (truncated?)", e);
        }
        byte[] labelBytes;
        try (DataInputStream in = open(labelsFile)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) throw badMagic(labelsFile, magic, LABELS_MAGIC);
            int labelCount = in.readInt();
            if (labelCount != count) {
                throw new DatasetFormatException(labelsFile + " declares " + labelCount + " labels, " + imagesFile
                        + " holds " + count + " images");
            }
            labelBytes = readExactly(in, labelsFile, count);
        } catch (EOFException e) {
            throw new DatasetFormatException(labelsFile + " ends inside its header (truncated?)", e);
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = labelBytes[i] & 0xff;
            if (labels[i] >= kind.classCount()) {
                throw new DatasetFormatException(labelsFile + ": label " + i + " is " + labels[i] + ", outside [0, "
                        + kind.classCount() + ")");
            }
        }
        float[] pixels = new float[images.length];
        Pixels.toUnit(images, 0, pixels, 0, images.length);
        return new ImageSet(pixels, labels, count, 1, size, size, kind.classCount());
    }

    private static DataInputStream open(Path file) throws IOException {
        return new DataInputStream(MaybeGzip.open(file));
    }

    /** Reads exactly the bytes the header announced, and requires the file to end there. */
    private static byte[] readExactly(InputStream in, Path file, int length) throws IOException {
        byte[] data = in.readNBytes(length);
        if (data.length != length) {
            throw new DatasetFormatException(file + " holds " + data.length + " data bytes, its header announces "
                    + length + " (truncated?)");
        }
        if (in.read() != -1) {
            throw new DatasetFormatException(file + " has bytes after the " + length + " its header announces");
        }
        return data;
    }

    private static DatasetFormatException badMagic(Path file, int found, int expected) {
        return new DatasetFormatException(String.format("%s is not an IDX %s file: magic 0x%08x, expected 0x%08x",
                file, expected == IMAGES_MAGIC ? "image" : "label", found, expected));
    }
}
