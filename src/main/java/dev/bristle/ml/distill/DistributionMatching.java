package dev.bristle.ml.distill;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.bristle.ml.engine.ComputeDevice;
import dev.bristle.ml.nn.ConvNetSpec;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Distribution matching (Zhao and Bilen, "Dataset Condensation with Distribution Matching", WACV 2023): each step
 * draws a freshly initialized BEARD ConvNet and a batch of real images of each class, and moves the synthetic images
 * by SGD with momentum {@value DistillationSettings#DM_MOMENTUM} on the loss sum over classes of
 * ||mean embedding(real) - mean embedding(synthetic)||², the embedding being the network's last block, flattened.
 * The synthetic images start from real ones (the random subset of the same seed, DM's {@code init = real}) and live
 * in the normalized space, as DM's code keeps them. Unlike DM's default, no DSA augmentation is applied (the
 * augmentation here is not differentiable); DM's paper reports that variant a few points below.
 */
final class DistributionMatching implements Distiller {

    @Override
    public Output distill(SourceImages source, DistillationSettings settings, DistillationProgress progress) {
        int ipc = settings.ipc();
        int classes = source.dataset().classCount();
        SplittableRandom root = new SplittableRandom(settings.seed());
        root.split(); // the initial sample's random source, Distiller.sampleRandom
        SplittableRandom networkRandom = root.split();
        SplittableRandom batchRandom = root.split();
        int[] initial = source.balancedSample(ipc, Distiller.sampleRandom(settings.seed()));
        float[] synthetic = source.normalized(initial);
        float[] velocity = new float[synthetic.length];
        int[][] byClass = source.byClass();
        ConvNetSpec spec = ConvNetSpec.beard(source.dataset().channels(), source.dataset().imageSize(), classes);
        float rate = (float) settings.learningRate();
        float momentum = (float) DistillationSettings.DM_MOMENTUM;

        try (Embedding embedding = new Embedding(spec, ComputeDevice.select(settings.device()))) {
            Shape syntheticShape = embedding.network().inputShape((long) classes * ipc);
            for (int step = 0; step < settings.iterations(); step++) {
                Distiller.checkCancelled(progress);
                embedding.randomize(networkRandom.split());
                float loss;
                float[] gradient;
                try (NDManager manager = embedding.newManager()) {
                    NDArray[] realMeans = new NDArray[classes];
                    for (int c = 0; c < classes; c++) {
                        int[] batch = SourceImages.draw(byClass[c], settings.realPerClass(), batchRandom);
                        NDArray real = manager.create(source.normalized(batch),
                                embedding.network().inputShape(batch.length));
                        realMeans[c] = embedding.features(real).mean(new int[]{0});
                    }
                    NDArray target = NDArrays.stack(new NDList(realMeans));
                    NDArray images = manager.create(synthetic, syntheticShape);
                    images.setRequiresGradient(true);
                    try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                        NDArray means = embedding.features(images).reshape(classes, ipc, embedding.dimension())
                                .mean(new int[]{1});
                        NDArray value = means.sub(target).square().sum();
                        collector.backward(value);
                        loss = value.getFloat();
                    }
                    gradient = images.getGradient().toFloatArray();
                }
                for (int i = 0; i < synthetic.length; i++) {
                    velocity[i] = momentum * velocity[i] + gradient[i];
                    synthetic[i] -= rate * velocity[i];
                }
                progress.progress(step + 1, settings.iterations(), String.format(Locale.ROOT,
                        "step %d of %d, loss %.4f", step + 1, settings.iterations(), loss));
            }
        }
        return new Output(synthetic, source.labels(initial), "a freshly initialized " + spec.describe()
                + " per step (PyTorch's default initialization), embedding = its last block, flattened");
    }
}
