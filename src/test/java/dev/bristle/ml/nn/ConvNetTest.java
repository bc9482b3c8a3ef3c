package dev.bristle.ml.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bristle.ml.torch.HostTensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvNetTest {

    private static final float[] CIFAR_MEAN = {0.4914f, 0.4822f, 0.4465f};
    private static final float[] CIFAR_STD = {0.2023f, 0.1994f, 0.2010f};

    private static PixelSpaceModel model(ConvNetSpec spec) {
        float[] mean = spec.channels() == 3 ? CIFAR_MEAN : new float[] {0.1307f};
        float[] std = spec.channels() == 3 ? CIFAR_STD : new float[] {0.3081f};
        return PixelSpaceModel.randomlyInitialized(spec, mean, std, Device.cpu());
    }

    private static float[] logits(PixelSpaceModel model, float[] pixels, int batch) {
        try (NDManager manager = model.newBatchManager()) {
            NDArray input = manager.create(pixels, model.network().inputShape(batch));
            return model.logits(input).toFloatArray();
        }
    }

    private static float[] pixels(int count, int seed) {
        java.util.Random random = new java.util.Random(seed);
        float[] pixels = new float[count];
        for (int i = 0; i < count; i++) pixels[i] = random.nextFloat();
        return pixels;
    }

    @Test
    void beardCifarNetworkHasBeardsStateDictKeysAndShapes() {
        try (PixelSpaceModel model = model(ConvNetSpec.beard(3, 32, 10))) {
            Map<String, HostTensor> stateDict = model.network().stateDict();
            assertEquals(List.of("features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias",
                    "features.4.weight", "features.4.bias", "features.5.weight", "features.5.bias",
                    "features.8.weight", "features.8.bias", "features.9.weight", "features.9.bias",
                    "classifier.weight", "classifier.bias"), List.copyOf(stateDict.keySet()));
            assertArrayEquals(new long[] {128, 3, 3, 3}, stateDict.get("features.0.weight").shape());
            assertArrayEquals(new long[] {128, 128, 3, 3}, stateDict.get("features.8.weight").shape());
            assertArrayEquals(new long[] {128}, stateDict.get("features.9.bias").shape());
            assertArrayEquals(new long[] {10, 2048}, stateDict.get("classifier.weight").shape());
        }
    }

    @Test
    void everyConfigurationGivesOneLogitPerClass() {
        List<ConvNetSpec> specs = List.of(
                ConvNetSpec.beard(1, 28, 10),
                ConvNetSpec.beard(3, 64, 200),
                new ConvNetSpec(3, 32, 100, 16, 2, NormLayer.BATCHNORM, Pooling.MAXPOOLING),
                new ConvNetSpec(1, 28, 10, 8, 3, NormLayer.NONE, Pooling.NONE),
                new ConvNetSpec(3, 32, 10, 8, 1, NormLayer.INSTANCENORM, Pooling.AVGPOOLING));
        for (ConvNetSpec spec : specs) {
            try (PixelSpaceModel model = model(spec)) {
                float[] out = logits(model, pixels(2 * spec.channels() * spec.imageSize() * spec.imageSize(), 1), 2);
                assertEquals(2 * spec.classes(), out.length, spec.describe());
                assertEquals(spec.width() * spec.featureMapSize() * spec.featureMapSize(),
                        model.network().stateDict().get("classifier.weight").shape()[1], spec.describe());
            }
        }
    }

    @Test
    void oneChannel28PixelInputIsPaddedTo32() {
        ConvNetSpec spec = ConvNetSpec.beard(1, 28, 10);
        assertEquals(3, spec.padding(0));
        assertEquals(1, spec.padding(1));
        assertEquals(4, spec.featureMapSize());
        assertEquals(1, ConvNetSpec.beard(3, 32, 10).padding(0));
    }

    @Test
    void stateDictRoundTripReproducesTheLogits() {
        List<ConvNetSpec> specs = List.of(ConvNetSpec.beard(3, 32, 10),
                new ConvNetSpec(3, 32, 10, 16, 2, NormLayer.BATCHNORM, Pooling.AVGPOOLING));
        for (ConvNetSpec spec : specs) {
            float[] input = pixels(4 * 3 * 32 * 32, 7);
            try (PixelSpaceModel source = model(spec); PixelSpaceModel target = model(spec)) {
                float[] expected = logits(source, input, 4);
                assertNotEquals(expected[0], logits(target, input, 4)[0], "two random initializations should differ");
                target.network().loadStateDict(source.network().stateDict());
                assertArrayEquals(expected, logits(target, input, 4), spec.describe());
            }
        }
    }

    @Test
    void architectureIsInferredFromTheStateDict() {
        List<ConvNetSpec> specs = List.of(ConvNetSpec.beard(3, 32, 10), ConvNetSpec.beard(1, 28, 10),
                ConvNetSpec.beard(3, 64, 200),
                new ConvNetSpec(3, 32, 100, 16, 2, NormLayer.BATCHNORM, Pooling.AVGPOOLING),
                new ConvNetSpec(3, 32, 10, 8, 4, NormLayer.NONE, Pooling.NONE),
                new ConvNetSpec(3, 32, 10, 8, 1, NormLayer.INSTANCENORM, Pooling.NONE),
                new ConvNetSpec(1, 28, 10, 8, 1, NormLayer.NONE, Pooling.AVGPOOLING));
        for (ConvNetSpec spec : specs) {
            try (PixelSpaceModel model = model(spec)) {
                assertEquals(spec, ConvNetSpec.infer(model.network().stateDict(), spec.imageSize()));
            }
        }
    }

    @Test
    void stateDictForAnotherImageSizeIsRejected() {
        try (PixelSpaceModel model = model(ConvNetSpec.beard(3, 32, 10))) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> ConvNetSpec.infer(model.network().stateDict(), 64));
            assertTrue(error.getMessage().contains("classifier.weight has 2048 inputs"), error.getMessage());
        }
    }

    @Test
    void wrongShapeIsReportedWithKeyAndBothShapesAndNothingIsLoaded() {
        try (PixelSpaceModel source = model(ConvNetSpec.beard(3, 32, 10));
             PixelSpaceModel target = model(ConvNetSpec.beard(3, 32, 10))) {
            float[] input = pixels(3 * 32 * 32, 3);
            float[] before = logits(target, input, 1);
            LinkedHashMap<String, HostTensor> stateDict = source.network().stateDict();
            stateDict.put("features.5.weight", HostTensor.ofFloats(new float[64], 64));
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> target.network().loadStateDict(stateDict));
            assertTrue(error.getMessage().contains("features.5.weight: expected shape [128], found [64]"),
                    error.getMessage());
            assertArrayEquals(before, logits(target, input, 1), "a rejected state dict must not change the weights");
        }
    }

    @Test
    void missingAndUnexpectedKeysAreNamed() {
        try (PixelSpaceModel source = model(ConvNetSpec.beard(3, 32, 10));
             PixelSpaceModel target = model(ConvNetSpec.beard(3, 32, 10))) {
            LinkedHashMap<String, HostTensor> stateDict = source.network().stateDict();
            stateDict.put("features.2.weight", stateDict.remove("features.1.weight"));
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> target.network().loadStateDict(stateDict));
            assertTrue(error.getMessage().contains("missing keys [features.1.weight]"), error.getMessage());
            assertTrue(error.getMessage().contains("unexpected keys [features.2.weight]"), error.getMessage());
        }
    }

    @Test
    void wrongDtypeIsReported() {
        try (PixelSpaceModel source = model(ConvNetSpec.beard(3, 32, 10));
             PixelSpaceModel target = model(ConvNetSpec.beard(3, 32, 10))) {
            LinkedHashMap<String, HostTensor> stateDict = source.network().stateDict();
            stateDict.put("classifier.bias", HostTensor.ofLongs(new long[10], 10));
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> target.network().loadStateDict(stateDict));
            assertTrue(error.getMessage().contains("classifier.bias: expected FLOAT32, found INT64"), error.getMessage());
        }
    }

    @Test
    void normalizationHappensInsideTheModel() {
        ConvNetSpec spec = new ConvNetSpec(3, 32, 10, 8, 1, NormLayer.NONE, Pooling.AVGPOOLING);
        try (PixelSpaceModel pixelModel = model(spec);
             PixelSpaceModel identity = PixelSpaceModel.randomlyInitialized(spec, new float[3],
                     new float[] {1, 1, 1}, Device.cpu())) {
            identity.network().loadStateDict(pixelModel.network().stateDict());
            float[] pixels = pixels(3 * 32 * 32, 5);
            float[] normalized = pixels.clone();
            for (int i = 0; i < normalized.length; i++) {
                int channel = i / (32 * 32);
                normalized[i] = (pixels[i] - CIFAR_MEAN[channel]) / CIFAR_STD[channel];
            }
            float[] expected = logits(identity, normalized, 1);
            float[] actual = logits(pixelModel, pixels, 1);
            for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-4f);
        }
    }
}
