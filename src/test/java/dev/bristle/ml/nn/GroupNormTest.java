package dev.bristle.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.bristle.ml.engine.Djl;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GroupNormTest {

    /** GroupNorm computed in double precision, as PyTorch defines it: biased variance, eps inside the root. */
    private static double[] reference(float[] x, int n, int c, int spatial, int groups, float[] gamma, float[] beta,
                                      double eps) {
        double[] out = new double[x.length];
        int perGroup = c / groups * spatial;
        for (int s = 0; s < n; s++) {
            for (int g = 0; g < groups; g++) {
                int base = s * c * spatial + g * perGroup;
                double mean = 0;
                for (int i = 0; i < perGroup; i++) mean += x[base + i];
                mean /= perGroup;
                double var = 0;
                for (int i = 0; i < perGroup; i++) var += (x[base + i] - mean) * (x[base + i] - mean);
                var /= perGroup;
                for (int i = 0; i < perGroup; i++) {
                    int channel = (g * perGroup + i) / spatial;
                    out[base + i] = (x[base + i] - mean) / Math.sqrt(var + eps) * gamma[channel] + beta[channel];
                }
            }
        }
        return out;
    }

    /**
     * Checks both ways GroupNorm computes: with PyTorch's gradient recording off (layer norm) and, with
     * {@code recording}, inside a gradient collector (the batch-norm trick).
     */
    private static void assertMatchesReference(int groups, boolean recording) {
        int n = 3, c = 6, h = 5, w = 4;
        Random random = new Random(groups);
        float[] x = new float[n * c * h * w];
        for (int i = 0; i < x.length; i++) x[i] = (float) (random.nextGaussian() * 3 + 1.5);
        float[] gamma = new float[c];
        float[] beta = new float[c];
        for (int i = 0; i < c; i++) {
            gamma[i] = (float) random.nextGaussian();
            beta[i] = (float) random.nextGaussian();
        }
        Djl.engine();
        try (NDManager manager = NDManager.newBaseManager()) {
            GroupNorm norm = new GroupNorm(groups, c, 1e-5f);
            norm.initialize(manager, DataType.FLOAT32, new Shape(n, c, h, w));
            norm.getParameters().get("weight").getArray().set(gamma);
            norm.getParameters().get("bias").getArray().set(beta);
            NDArray input = manager.create(x, new Shape(n, c, h, w));
            Supplier<float[]> forward = () -> {
                assertEquals(recording, Djl.recordsGradients());
                return norm.forward(new ParameterStore(manager, false), new NDList(input), false).singletonOrThrow()
                        .toFloatArray();
            };
            float[] actual;
            if (recording) {
                try (GradientCollector ignored = manager.getEngine().newGradientCollector()) {
                    actual = forward.get();
                }
            } else {
                actual = Djl.withoutGradients(forward);
            }
            double[] expected = reference(x, n, c, h * w, groups, gamma, beta, 1e-5);
            for (int i = 0; i < x.length; i++) {
                assertEquals(expected[i], actual[i], 2e-5 * (1 + Math.abs(expected[i])), "element " + i);
            }
        }
    }

    @Test
    void instanceNormMatchesPytorchDefinition() {
        assertMatchesReference(6, false);
    }

    @Test
    void instanceNormRecordingGradientsMatchesPytorchDefinition() {
        assertMatchesReference(6, true);
    }

    @Test
    void groupsOfSeveralChannelsMatchPytorchDefinition() {
        assertMatchesReference(2, false);
    }

    @Test
    void groupsOfSeveralChannelsRecordingGradientsMatchPytorchDefinition() {
        assertMatchesReference(2, true);
    }

    @Test
    void constantChannelIsNormalizedToItsBiasThanksToEpsilon() {
        Djl.engine();
        try (NDManager manager = NDManager.newBaseManager()) {
            GroupNorm norm = GroupNorm.instanceNorm(2);
            norm.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 2, 2));
            norm.getParameters().get("bias").getArray().set(new float[] {0.25f, -1f});
            NDArray input = manager.full(new Shape(1, 2, 2, 2), 7f);
            float[] out = norm.forward(new ParameterStore(manager, false), new NDList(input), false)
                    .singletonOrThrow().toFloatArray();
            for (int i = 0; i < 8; i++) assertEquals(i < 4 ? 0.25f : -1f, out[i], 0f);
        }
    }

    @Test
    void inputGradientMatchesTheAnalyticGradient() {
        int n = 2, c = 3, spatial = 8;
        Random random = new Random(5);
        float[] x = new float[n * c * spatial];
        float[] upstream = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian() * 2;
            upstream[i] = (float) random.nextGaussian();
        }
        float[] gamma = {0.5f, -1.5f, 2f};
        Djl.engine();
        try (NDManager manager = NDManager.newBaseManager()) {
            GroupNorm norm = GroupNorm.instanceNorm(c);
            norm.initialize(manager, DataType.FLOAT32, new Shape(n, c, 2, 4));
            norm.getParameters().get("weight").getArray().set(gamma);
            NDArray input = manager.create(x, new Shape(n, c, 2, 4));
            input.setRequiresGradient(true);
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray out = norm.forward(new ParameterStore(manager, false), new NDList(input), true)
                        .singletonOrThrow();
                collector.backward(out.mul(manager.create(upstream, out.getShape())).sum());
            }
            float[] actual = input.getGradient().toFloatArray();
            // d/dx of instance norm: (g - mean(g) - xhat * mean(g * xhat)) / sqrt(var + eps), g = upstream * gamma.
            for (int row = 0; row < n * c; row++) {
                int base = row * spatial;
                double mean = 0, var = 0;
                for (int i = 0; i < spatial; i++) mean += x[base + i];
                mean /= spatial;
                for (int i = 0; i < spatial; i++) var += (x[base + i] - mean) * (x[base + i] - mean);
                var /= spatial;
                double std = Math.sqrt(var + 1e-5);
                double meanG = 0, meanGx = 0;
                for (int i = 0; i < spatial; i++) {
                    double g = upstream[base + i] * gamma[row % c];
                    meanG += g / spatial;
                    meanGx += g * (x[base + i] - mean) / std / spatial;
                }
                for (int i = 0; i < spatial; i++) {
                    double g = upstream[base + i] * gamma[row % c];
                    double expected = (g - meanG - (x[base + i] - mean) / std * meanGx) / std;
                    assertEquals(expected, actual[base + i], 1e-4 * (1 + Math.abs(expected)), "element " + (base + i));
                }
            }
        }
    }

    @Test
    void channelsMustSplitIntoGroups() {
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(4, 6, 1e-5f));
    }
}
