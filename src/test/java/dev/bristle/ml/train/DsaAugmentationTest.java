package dev.bristle.ml.train;

import dev.bristle.ml.train.DsaAugmentation.Dims;
import dev.bristle.ml.train.DsaAugmentation.Group;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DsaAugmentationTest {

    private static final DsaAugmentation BEARD = DsaAugmentation.parse(DsaAugmentation.BEARD_STRATEGY);

    private static float[] randomImages(Dims dims, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] images = new float[dims.count() * dims.imageLength()];
        for (int i = 0; i < images.length; i++) images[i] = (float) random.nextDouble(-2, 2);
        return images;
    }

    @Test
    void strategyNamesTheSixGroupsAndNoneMeansUntouched() {
        assertEquals(Arrays.asList(Group.values()), BEARD.groups());
        DsaAugmentation none = DsaAugmentation.parse("None");
        assertTrue(none.isNone());
        Dims dims = new Dims(2, 3, 4, 4);
        float[] images = randomImages(dims, 1);
        assertSame(images, none.apply(images, dims, new SplittableRandom(1)));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> DsaAugmentation.parse("color_blur"));
        assertTrue(error.getMessage().contains("'blur'"), error.getMessage());
    }

    @Test
    void everyGroupKeepsTheShapeAndLeavesItsInputAlone() {
        Dims dims = new Dims(5, 3, 32, 32);
        float[] images = randomImages(dims, 2);
        float[] copy = images.clone();
        for (Group group : Group.values()) {
            float[] out = BEARD.apply(group, images, dims, new SplittableRandom(3));
            assertEquals(images.length, out.length, group.name());
            assertArrayEquals(copy, images, group + " changed its input");
            for (float value : out) assertTrue(Float.isFinite(value), group.name());
        }
        assertThrows(IllegalArgumentException.class, () -> BEARD.apply(images, new Dims(4, 3, 32, 32),
                new SplittableRandom(0)));
    }

    @Test
    void sameSeedGivesTheSameAugmentationAndEachBatchDrawsOneGroup() {
        Dims dims = new Dims(8, 3, 32, 32);
        float[] images = randomImages(dims, 4);
        assertArrayEquals(BEARD.apply(images, dims, new SplittableRandom(9)),
                BEARD.apply(images, dims, new SplittableRandom(9)));
        // Over many batches every group is drawn (one per batch, uniformly): about 1/6 each.
        int[] drawn = new int[Group.values().length];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 600; i++) drawn[random.nextInt(6)]++;
        for (int count : drawn) assertTrue(count > 60, Arrays.toString(drawn));
    }

    @Test
    void flippingTwiceIsTheIdentityAndOnceMirrorsRows() {
        Dims dims = new Dims(2, 3, 4, 5);
        float[] images = randomImages(dims, 6);
        boolean[] which = {true, false};
        float[] once = DsaAugmentation.flip(images, dims, which);
        assertEquals(images[4], once[0]);
        assertEquals(images[0], once[4]);
        assertEquals(images[dims.imageLength() + 3], once[dims.imageLength() + 3], "second image not flipped");
        assertArrayEquals(images, DsaAugmentation.flip(once, dims, which));
    }

    @Test
    void unitScaleAndZeroRotationAreTheIdentity() {
        Dims dims = new Dims(3, 3, 32, 32);
        float[] images = randomImages(dims, 7);
        double[][] identity = new double[3][];
        double[][] noRotation = new double[3][];
        for (int i = 0; i < 3; i++) {
            identity[i] = new double[] {1, 0, 0, 0, 1, 0};
            noRotation[i] = DsaAugmentation.rotation(0);
        }
        assertArrayEquals(images, DsaAugmentation.affine(images, dims, identity), 1e-5f);
        assertArrayEquals(images, DsaAugmentation.affine(images, dims, noRotation), 1e-5f);
    }

    @Test
    void rotationByNinetyDegreesTurnsTheImageAndScaleUpZoomsOut() {
        Dims dims = new Dims(1, 1, 4, 4);
        float[] images = new float[16];
        for (int i = 0; i < 16; i++) images[i] = i;
        float[] turned = DsaAugmentation.affine(images, dims, new double[][] {DsaAugmentation.rotation(90)});
        // theta maps output (x, y) to input (-y, x): output (r, c) shows input (row c, column W-1-r).
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) assertEquals(images[c * 4 + (3 - r)], turned[r * 4 + c], 1e-4f);
        }
        // Scale 2 samples twice as far from the centre: the corner output pixel reads outside, i.e. zero padding.
        float[] zoomedOut = DsaAugmentation.affine(images, dims, new double[][] {{2, 0, 0, 0, 2, 0}});
        assertEquals(0f, zoomedOut[0], 1e-6f);
        // Output (1, 1) is at normalized (-0.25, -0.25), samples (-0.5, -0.5) = pixel coordinates (0.5, 0.5):
        // the mean of the four top-left input pixels.
        assertEquals((images[0] + images[1] + images[4] + images[5]) / 4, zoomedOut[4 + 1], 1e-4f);
    }

    @Test
    void cutoutZeroesTheExpectedSquareInEveryChannel() {
        Dims dims = new Dims(2, 3, 32, 32);
        float[] images = new float[dims.count() * dims.imageLength()];
        Arrays.fill(images, 1f);
        float[] out = BEARD.cutout(images, dims, new int[] {10, 0}, new int[] {20, 32});
        for (int c = 0; c < 3; c++) {
            int base0 = c * 1024;
            int base1 = dims.imageLength() + c * 1024;
            for (int r = 0; r < 32; r++) {
                for (int col = 0; col < 32; col++) {
                    // Side 16: rows 2..17, columns 12..27 for the first image.
                    boolean inside0 = r >= 2 && r <= 17 && col >= 12 && col <= 27;
                    assertEquals(inside0 ? 0f : 1f, out[base0 + r * 32 + col], "image 0 (" + r + "," + col + ")");
                    // Centre (0, 32): rows 0..7, columns 24..31, clipped at the border.
                    boolean inside1 = r <= 7 && col >= 24;
                    assertEquals(inside1 ? 0f : 1f, out[base1 + r * 32 + col], "image 1 (" + r + "," + col + ")");
                }
            }
        }
        int zeroed = 0;
        for (float value : BEARD.apply(Group.CUTOUT, images, dims, new SplittableRandom(8))) if (value == 0f) zeroed++;
        assertTrue(zeroed > 0 && zeroed <= 2 * 3 * 16 * 16, "random cutout zeroed " + zeroed);
    }

    @Test
    void cropTranslatesWithZeroFill() {
        Dims dims = new Dims(1, 1, 3, 3);
        float[] images = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertArrayEquals(new float[] {5, 6, 0, 8, 9, 0, 0, 0, 0},
                DsaAugmentation.translate(images, dims, new int[] {1}, new int[] {1}));
        assertArrayEquals(new float[] {0, 0, 0, 1, 2, 3, 4, 5, 6},
                DsaAugmentation.translate(images, dims, new int[] {-1}, new int[] {0}));
        // BEARD's crop moves by at most round(32 / 8) = 4 pixels: a 32x32 image keeps at least 28 columns.
        Dims cifar = new Dims(4, 3, 32, 32);
        float[] ones = new float[cifar.count() * cifar.imageLength()];
        Arrays.fill(ones, 1f);
        float[] cropped = BEARD.apply(Group.CROP, ones, cifar, new SplittableRandom(11));
        for (int i = 0; i < 4; i++) {
            int kept = 0;
            for (int k = 0; k < 1024; k++) kept += cropped[i * cifar.imageLength() + k] == 1f ? 1 : 0;
            assertTrue(kept >= 28 * 28, "image " + i + " kept " + kept);
        }
    }

    @Test
    void colourOperationsMatchHandComputedValues() {
        // One image, 3 channels, 1x2 pixels: pixel 0 = (1, 2, 3), pixel 1 = (0, 0, 6).
        Dims dims = new Dims(1, 3, 1, 2);
        float[] images = {1, 0, 2, 0, 3, 6};
        assertArrayEquals(new float[] {1.25f, 0.25f, 2.25f, 0.25f, 3.25f, 6.25f},
                DsaAugmentation.brightness(images, dims, new double[] {0.25}));
        // Saturation 2 around the per-pixel means 2 and 2: 2 + 2 * (v - 2).
        assertArrayEquals(new float[] {0, -2, 2, -2, 4, 10},
                DsaAugmentation.saturation(images, dims, new double[] {2}));
        // Contrast 0.5 around the image mean 2: 2 + 0.5 * (v - 2).
        assertArrayEquals(new float[] {1.5f, 1, 2, 1, 2.5f, 4},
                DsaAugmentation.contrast(images, dims, new double[] {0.5}));
        // Saturation 0 turns every pixel grey; contrast 1 and brightness 0 change nothing.
        float[] grey = DsaAugmentation.saturation(images, dims, new double[] {0});
        assertArrayEquals(new float[] {2, 2, 2, 2, 2, 2}, grey);
        assertArrayEquals(images, DsaAugmentation.contrast(images, dims, new double[] {1}));
        // The colour group draws its factors from the reference's ranges: the output differs and stays finite.
        float[] coloured = BEARD.apply(Group.COLOR, images, dims, new SplittableRandom(12));
        assertFalse(Arrays.equals(images, coloured));
        assertNotEquals(images[0], coloured[0]);
    }
}
