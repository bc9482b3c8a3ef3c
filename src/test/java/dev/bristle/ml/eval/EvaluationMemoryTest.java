package dev.bristle.ml.eval;

import ai.djl.Device;
import dev.bristle.bench.ResidentMemory;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.nn.ConvNetSpec;
import dev.bristle.ml.nn.NormLayer;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.nn.Pooling;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Native memory must be released batch by batch: 300 batches of 256 CIFAR images move 900 MB of inputs alone through
 * the engine, so a leak of even the input arrays would exceed the bound. A narrow network keeps the run short; the
 * batch-memory handling is the same at any width.
 */
class EvaluationMemoryTest {

    private static final int BATCH = 256;
    private static final long BOUND_MB = 300;

    @Test
    void residentMemoryStaysFlatOverManyBatches() throws IOException {
        ConvNetSpec spec = new ConvNetSpec(3, 32, 10, 16, 3, NormLayer.INSTANCENORM, Pooling.AVGPOOLING);
        Random random = new Random(3);
        float[] pixels = new float[BATCH * 3 * 32 * 32];
        for (int i = 0; i < pixels.length; i++) pixels[i] = random.nextFloat();
        int[] labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) labels[i] = random.nextInt(10);
        try (PixelSpaceModel model = PixelSpaceModel.randomlyInitialized(spec, DatasetKind.CIFAR10.mean(),
                DatasetKind.CIFAR10.std(), Device.cpu())) {
            CleanEvaluator evaluator = new CleanEvaluator(model, BATCH);
            for (int i = 0; i < 30; i++) evaluator.evaluate(pixels, labels);
            long before = ResidentMemory.kilobytes();
            for (int i = 0; i < 300; i++) evaluator.evaluate(pixels, labels);
            long grownMb = (ResidentMemory.kilobytes() - before) / 1024;
            System.out.printf("RSS grew by %d MB over 300 batches of %d%n", grownMb, BATCH);
            assertTrue(grownMb < BOUND_MB, "resident memory grew by " + grownMb + " MB over 300 batches");
        }
    }
}
