package dev.bristle.ml.data;

import dev.bristle.ml.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class TinyImageNetReaderTest {

    private static final Path ROOT = SharedData.path("data/tiny-imagenet-200");
    private static final int PLANE = 64 * 64;

    @Test
    void readsTheFirstValidationImagesWithSortedWnidLabels() throws Exception {
        ImageSet set = TinyImageNetReader.readValidation(ROOT, 300);
        assertEquals(300, set.count());
        assertEquals(200, set.classCount());
        assertEquals(3, set.channels());
        assertEquals(64, set.height());
        assertEquals(64, set.width());
        // val_0 is n03444034 (go-kart); its class is its position in the sorted wnid list
        var wnids = TinyImageNetReader.classIds(ROOT);
        assertEquals(wnids.stream().sorted().toList(), wnids);
        assertEquals(wnids.indexOf("n03444034"), set.labels()[0]);
        assertGrayscaleJpegsHaveIdenticalChannels(set);
    }

    /** The whole split (about 20 s on two busy cores): heavy, -Pheavy. */
    @Test
    @Tag("heavy")
    void readsTheWholeValidationSplit() throws Exception {
        long start = System.nanoTime();
        ImageSet set = TinyImageNetReader.readValidation(ROOT);
        System.out.printf("TinyImageNet validation: %d images decoded in %.1f s%n", set.count(),
                (System.nanoTime() - start) / 1e9);
        assertEquals(10_000, set.count());
        int[] perClass = new int[200];
        for (int label : set.labels()) perClass[label]++;
        for (int c = 0; c < 200; c++) assertEquals(50, perClass[c], "images of class " + c);
        assertEquals(168, assertGrayscaleJpegsHaveIdenticalChannels(set), "grayscale JPEGs in the split");

        // the published TinyImageNet channel means (0.480, 0.448, 0.398) would expose a channel swap
        double[] mean = new double[3];
        for (int i = 0; i < set.count(); i++) {
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < PLANE; p++) mean[c] += set.pixels()[(i * 3 + c) * PLANE + p];
            }
        }
        double n = (double) set.count() * PLANE;
        assertEquals(0.480, mean[0] / n, 0.01);
        assertEquals(0.448, mean[1] / n, 0.01);
        assertEquals(0.398, mean[2] / n, 0.01);
    }

    /** Returns how many of the set's files are single-component JPEGs, after checking their channels are equal. */
    private static int assertGrayscaleJpegsHaveIdenticalChannels(ImageSet set) throws IOException {
        int grayscale = 0;
        for (int i = 0; i < set.count(); i++) {
            if (jpegComponents(ROOT.resolve("val/images/val_" + i + ".JPEG")) != 1) continue;
            grayscale++;
            int base = i * 3 * PLANE;
            for (int p = 0; p < PLANE; p++) {
                float r = set.pixels()[base + p];
                assertEquals(r, set.pixels()[base + PLANE + p], "green of grayscale val_" + i);
                assertEquals(r, set.pixels()[base + 2 * PLANE + p], "blue of grayscale val_" + i);
            }
        }
        return grayscale;
    }

    /** Number of colour components in the JPEG's start-of-frame header. */
    private static int jpegComponents(Path file) throws IOException {
        byte[] jpeg = Files.readAllBytes(file);
        int at = 2;
        while (at + 4 < jpeg.length) {
            int marker = jpeg[at + 1] & 0xff;
            int length = ((jpeg[at + 2] & 0xff) << 8) | (jpeg[at + 3] & 0xff);
            if (marker >= 0xc0 && marker <= 0xc2) return jpeg[at + 9] & 0xff;
            at += 2 + length;
        }
        throw new IOException(file + " has no start-of-frame header");
    }
}
