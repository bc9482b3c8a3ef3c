package dev.bristle.ml.train;

import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.DistilledSet;
import dev.bristle.ml.data.Normalization;
import dev.bristle.ml.data.NormalizationDecision;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training configuration and the conversion of distilled sets into training images. */
class TrainingInputsTest {

    private static DistilledSet tinyCifarSet(float value, Normalization normalization) {
        float[] images = new float[10 * 3 * 32 * 32];
        Arrays.fill(images, value);
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        return new DistilledSet(images, labels, new int[] {10, 3, 32, 32},
                new NormalizationDecision(normalization, "test"), "tiny.pt");
    }

    @Test
    void normalizedSetsAreTakenAsStoredAndPixelSetsAreNormalized() {
        DistilledSet normalized = tinyCifarSet(-0.5f, Normalization.meanStd(DatasetKind.CIFAR10));
        TrainingImages asStored = TrainingImages.from(normalized, DatasetKind.CIFAR10);
        assertSame(normalized.images(), asStored.images());
        assertArrayEquals(DatasetKind.CIFAR10.mean(), asStored.mean());
        assertArrayEquals(DatasetKind.CIFAR10.std(), asStored.std());

        TrainingImages fromPixels = TrainingImages.from(tinyCifarSet(0.5f, Normalization.PIXELS_0_1),
                DatasetKind.CIFAR10);
        // Channel 0 (red) and channel 2 (blue) of image 3: (0.5 - mean) / std.
        assertEquals((0.5f - 0.4914f) / 0.2023f, fromPixels.images()[3 * 3072], 1e-6f);
        assertEquals((0.5f - 0.4465f) / 0.2010f, fromPixels.images()[3 * 3072 + 2 * 1024 + 5], 1e-6f);
        assertTrue(fromPixels.source().contains("normalized here"), fromPixels.source());
    }

    @Test
    void setsThatDoNotFitTheDatasetAreRefusedWithTheirName() {
        IllegalArgumentException wrongDataset = assertThrows(IllegalArgumentException.class,
                () -> TrainingImages.from(tinyCifarSet(0.5f, Normalization.PIXELS_0_1), DatasetKind.CIFAR100));
        assertTrue(wrongDataset.getMessage().contains("tiny.pt"), wrongDataset.getMessage());
        IllegalArgumentException badValue = assertThrows(IllegalArgumentException.class,
                () -> new TrainingImages("bad.pt", new float[] {Float.NaN, 0, 0}, new int[] {0}, 3, 1, 2,
                        new float[3], new float[] {1, 1, 1}));
        assertTrue(badValue.getMessage().contains("bad.pt") && badValue.getMessage().contains("NaN"),
                badValue.getMessage());
    }

    @Test
    void configurationValidatesAndDerivesDistinctStudentSeeds() {
        TrainingConfig config = TrainingConfig.beard(123);
        assertEquals(1001, config.epochs());
        assertEquals(502, config.lrDecayEpoch());
        assertEquals(256, config.batchSize());
        assertEquals(DsaAugmentation.BEARD_STRATEGY, config.augmentation());
        Set<Long> seeds = new HashSet<>();
        for (int i = 0; i < config.students(); i++) seeds.add(config.studentSeed(i));
        assertEquals(5, seeds.size());
        assertEquals(config.studentSeed(3), TrainingConfig.beard(123).studentSeed(3));
        assertTrue(config.describe().keySet().containsAll(Set.of("epochs", "learningRate", "momentum", "weightDecay",
                "lrDecayEpoch", "augmentation", "seed", "students", "selection", "device")));
        assertThrows(IllegalArgumentException.class, () -> config.studentSeed(5));
        IllegalArgumentException badStrategy = assertThrows(IllegalArgumentException.class,
                () -> config.withAugmentation("color_zoom"));
        assertTrue(badStrategy.getMessage().contains("zoom"));
        assertThrows(IllegalArgumentException.class, () -> config.withEpochs(0, 0));
        assertEquals(StudentSelection.BEST_ON_HELD_OUT, StudentSelection.parse("best-on-held-out"));
    }
}
