package dev.bristle.ml.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.bristle.ml.engine.Djl;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The trainer relies on DJL's SGD on PyTorch doing what {@code torch.optim.SGD(lr, momentum, weight_decay)} does:
 * weight decay added to the gradient before momentum, and gradients not piling up from one step to the next.
 */
class DjlSgdSemanticsTest {

    @Test
    void twoStepsMatchPyTorchsSgdWithMomentumAndCoupledWeightDecay() {
        Djl.engine();
        float lr = 0.1f;
        float momentum = 0.9f;
        float decay = 0.05f;
        float[] w0 = {0.5f, -1.0f};
        float[] x = {2.0f, 3.0f};
        try (Model model = Model.newInstance("sgd-check", "PyTorch")) {
            Linear linear = Linear.builder().setUnits(1).optBias(false).build();
            model.setBlock(linear);
            Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(lr)).optMomentum(momentum)
                    .optWeightDecays(decay).build();
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(sgd))) {
                trainer.initialize(new Shape(1, 2));
                NDArray weight = linear.getParameters().get("weight").getArray();
                weight.set(FloatBuffer.wrap(w0));
                for (int step = 0; step < 2; step++) {
                    try (NDManager batch = trainer.getManager().newSubManager()) {
                        NDArray input = batch.create(x, new Shape(1, 2));
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            // d(w . x)/dw = x: the gradient is the same at every step.
                            collector.backward(trainer.forward(new NDList(input)).singletonOrThrow().sum());
                        }
                        trainer.step();
                    }
                }
                // PyTorch: d = g + wd * w; buf = momentum * buf + d (buf = d at first); w -= lr * buf.
                float[] w = w0.clone();
                float[] buffer = new float[2];
                for (int step = 0; step < 2; step++) {
                    for (int i = 0; i < 2; i++) {
                        float d = x[i] + decay * w[i];
                        buffer[i] = step == 0 ? d : momentum * buffer[i] + d;
                        w[i] -= lr * buffer[i];
                    }
                }
                assertArrayEquals(w, weight.toFloatArray(), 1e-6f);
            }
        }
    }
}
