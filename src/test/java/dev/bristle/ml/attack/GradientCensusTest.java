package dev.bristle.ml.attack;

import ai.djl.Device;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.torch.HostTensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The zero-gradient census at the clean point, on BACON's student and on a copy whose softmax saturates. */
class GradientCensusTest {

    private static final int IMAGES = 64;

    @Test
    void baconsStudentHasInputGradientsOnItsImages() {
        GradientCensus census = census(Bacon.stateDict());
        assertEquals(IMAGES, census.images());
        assertTrue(census.zeroPercent() <= 1, "an ordinary student: " + census);
    }

    @Test
    void aSaturatedSoftmaxMasksTheGradientOfConfidentImages() {
        // Logits 10,000 times larger: classified as before, but every confidently classified image's softmax is
        // exactly one-hot in float32, so its cross-entropy has no gradient at all (gradient masking).
        Map<String, HostTensor> scaled = new LinkedHashMap<>(Bacon.stateDict());
        for (String key : Bacon.stateDict().keySet()) {
            if (key.startsWith("classifier.")) {
                float[] values = Bacon.stateDict().get(key).floats().clone();
                for (int i = 0; i < values.length; i++) values[i] *= 10_000f;
                scaled.put(key, HostTensor.ofFloats(values, Bacon.stateDict().get(key).shape()));
            }
        }
        GradientCensus census = census(scaled);
        assertTrue(census.zeroPercent() > 50, "saturated: " + census);
        assertEquals(Math.min(census.zero(), GradientCensus.EXAMPLES), census.examples().size());
    }

    private static GradientCensus census(Map<String, HostTensor> weights) {
        try (PixelSpaceModel model = PixelSpaceModel.fromStateDict(weights, 32, Bacon.MEAN, Bacon.STD, Device.cpu())) {
            AttackSuite suite = new AttackSuite(AttackTarget.sound(model), 32, 0, 1, AttackSuite.Progress.NONE);
            return suite.gradientCensus(Bacon.pixels(IMAGES), Bacon.labels(IMAGES));
        }
    }
}
