package dev.bristle.ml.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

class IdxReaderTest {

    @TempDir
    Path temp;

    /** IDX bytes: magic, dimensions, data (the layout of t10k-images-idx3-ubyte / t10k-labels-idx1-ubyte). */
    static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        for (int d : dims) out.writeInt(d);
        out.write(data);
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }

    @Test
    void readsPlainAndGzippedFiles() throws Exception {
        byte[] pixels = new byte[3 * 28 * 28];
        pixels[0] = (byte) 255;
        pixels[784 + 5] = (byte) 51;
        Path images = Files.write(temp.resolve("t10k-images-idx3-ubyte.gz"), gzip(idx(0x803, new int[]{3, 28, 28}, pixels)));
        Path labels = Files.write(temp.resolve("t10k-labels-idx1-ubyte"), idx(0x801, new int[]{3}, new byte[]{7, 0, 9}));
        ImageSet set = IdxReader.read(DatasetKind.FASHION_MNIST, images, labels);
        assertEquals(3, set.count());
        assertEquals(1, set.channels());
        assertArrayEquals(new int[]{7, 0, 9}, set.labels());
        assertEquals(1f, set.pixels()[0]);
        assertEquals(0.2f, set.pixels()[784 + 5]);
    }

    @Test
    void refusesTruncationWrongMagicAndMismatchedCounts() throws Exception {
        byte[] full = idx(0x803, new int[]{3, 28, 28}, new byte[3 * 784]);
        Path images = Files.write(temp.resolve("images"), Arrays.copyOf(full, full.length - 10));
        Path labels = Files.write(temp.resolve("labels"), idx(0x801, new int[]{3}, new byte[3]));
        var cut = assertThrows(DatasetFormatException.class, () -> IdxReader.read(DatasetKind.MNIST, images, labels));
        assertEquals(images + " holds 2342 data bytes, its header announces 2352 (truncated?)", cut.getMessage());

        Files.write(images, full);
        var magic = assertThrows(DatasetFormatException.class, () -> IdxReader.read(DatasetKind.MNIST, labels, labels));
        assertEquals(labels + " is not an IDX image file: magic 0x00000801, expected 0x00000803", magic.getMessage());

        Files.write(labels, idx(0x801, new int[]{2}, new byte[2]));
        var count = assertThrows(DatasetFormatException.class, () -> IdxReader.read(DatasetKind.MNIST, images, labels));
        assertEquals(labels + " declares 2 labels, " + images + " holds 3 images", count.getMessage());

        Files.write(labels, idx(0x801, new int[]{3}, new byte[]{1, 10, 2}));
        var range = assertThrows(DatasetFormatException.class, () -> IdxReader.read(DatasetKind.MNIST, images, labels));
        assertEquals(labels + ": label 1 is 10, outside [0, 10)", range.getMessage());
    }
}
