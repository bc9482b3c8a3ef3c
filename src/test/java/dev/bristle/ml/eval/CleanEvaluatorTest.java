package dev.bristle.ml.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.nn.ConvNetSpec;
import dev.bristle.ml.nn.NormLayer;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.nn.Pooling;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CleanEvaluatorTest {

    private static final ConvNetSpec SMALL = new ConvNetSpec(3, 32, 10, 16, 3, NormLayer.INSTANCENORM,
            Pooling.AVGPOOLING);

    private static PixelSpaceModel smallModel() {
        return PixelSpaceModel.randomlyInitialized(SMALL, DatasetKind.CIFAR10.mean(), DatasetKind.CIFAR10.std(),
                Device.cpu());
    }

    private static float[] pixels(int images, Random random) {
        float[] pixels = new float[images * 3 * 32 * 32];
        for (int i = 0; i < pixels.length; i++) pixels[i] = random.nextFloat();
        return pixels;
    }

    @Test
    void predictionsAreTheArgmaxOfTheLogitsWhateverTheBatchSize() {
        Random random = new Random(11);
        int images = 23;
        float[] pixels = pixels(images, random);
        int[] labels = new int[images];
        for (int i = 0; i < images; i++) labels[i] = random.nextInt(10);
        try (PixelSpaceModel model = smallModel()) {
            int[] expected = new int[images];
            try (NDManager manager = model.newBatchManager()) {
                long[] argmax = model.logits(manager.create(pixels, model.network().inputShape(images)))
                        .argMax(1).toLongArray();
                for (int i = 0; i < images; i++) expected[i] = (int) argmax[i];
            }
            CleanEvaluation whole = new CleanEvaluator(model).evaluate(pixels, labels);
            CleanEvaluation batched = new CleanEvaluator(model, 5).evaluate(pixels, labels);
            assertArrayEquals(expected, whole.predictions());
            assertArrayEquals(expected, batched.predictions());

            String correctness = batched.correctness();
            assertEquals(images, correctness.length());
            int correct = 0;
            for (int i = 0; i < images; i++) {
                assertEquals(expected[i] == labels[i] ? '1' : '0', correctness.charAt(i));
                if (expected[i] == labels[i]) correct++;
            }
            assertEquals(100.0 * correct / images, batched.accuracy(), 1e-9);
            assertTrue(batched.modelSeconds() > 0);
        }
    }

    @Test
    void perClassAccuracyCountsEachTrueClass() {
        // Predictions fixed by hand: the arithmetic of the summary, independent of any network.
        CleanEvaluation evaluation = new CleanEvaluation(new int[] {0, 1, 1, 2, 0}, new int[] {0, 1, 2, 2, 1}, 4, 0.5);
        assertEquals("11010", evaluation.correctness());
        assertEquals(60.0, evaluation.accuracy(), 1e-9);
        double[] perClass = evaluation.perClassAccuracy();
        assertEquals(100.0, perClass[0], 1e-9);
        assertEquals(50.0, perClass[1], 1e-9);
        assertEquals(50.0, perClass[2], 1e-9);
        assertTrue(Double.isNaN(perClass[3]), "a class without images has no accuracy");
        assertArrayEquals(new int[] {1, 2, 2, 0}, evaluation.classCounts());
    }

    @Test
    void mismatchedInputsAreRejectedWithCounts() {
        try (PixelSpaceModel model = smallModel()) {
            CleanEvaluator evaluator = new CleanEvaluator(model);
            IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                    () -> evaluator.evaluate(new float[3 * 32 * 32 * 2 - 1], new int[2]));
            assertTrue(size.getMessage().contains("need 6144 pixel values, found 6143"), size.getMessage());
            IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                    () -> evaluator.evaluate(new float[3 * 32 * 32], new int[] {10}));
            assertTrue(label.getMessage().contains("label 10 of image 0"), label.getMessage());
        }
    }
}
