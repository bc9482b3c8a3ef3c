package dev.bristle.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.bristle.ml.engine.BatchUploader;
import dev.bristle.ml.engine.ComputeDevice;
import dev.bristle.ml.engine.Djl;
import dev.bristle.ml.nn.ConvNetSpec;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.nn.Pooling;
import dev.bristle.ml.eval.CleanEvaluator;

import java.io.IOException;
import java.util.Random;

/**
 * Throughput and memory figures of the compute core on this machine (not a test: it prints, it does not judge).
 * Run with {@code ./mvnw -B -q -Pbench test-compile exec:exec}; batch counts can be lowered with
 * {@code -Dbench.args="forwardBatches trainingSteps memoryBatches"} (defaults 20 10 1000).
 */
public final class ComputeBenchmark {

    private static final int BATCH = 256;
    private static final float[] CIFAR_MEAN = {0.4914f, 0.4822f, 0.4465f};
    private static final float[] CIFAR_STD = {0.2023f, 0.1994f, 0.2010f};

    public static void main(String[] args) throws IOException {
        int forwardBatches = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int trainingSteps = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int memoryBatches = args.length > 2 ? Integer.parseInt(args[2]) : 1000;

        Engine engine = Djl.engine();
        Device device = ComputeDevice.select("auto");
        System.out.printf("engine: %s %s on %s, %d cores; MALLOC_ARENA_MAX=%s MALLOC_MMAP_MAX_=%s"
                        + " MALLOC_TRIM_THRESHOLD_=%s%n", engine.getEngineName(), engine.getVersion(), device,
                Runtime.getRuntime().availableProcessors(), System.getenv("MALLOC_ARENA_MAX"),
                System.getenv("MALLOC_MMAP_MAX_"), System.getenv("MALLOC_TRIM_THRESHOLD_"));

        double matMulRate = matMulGflops(2048, 10);
        System.out.printf("matMul 2048x2048 float32: %.1f GFLOP/s%n", matMulRate);

        ConvNetSpec spec = ConvNetSpec.beard(3, 32, 10);
        double flopsPerImage = forwardFlops(spec);
        System.out.printf("%s: %.1f MFLOP per image forward (convolutions and classifier, multiply-add = 2)%n",
                spec.describe(), flopsPerImage / 1e6);

        Random random = new Random(0);
        float[] pixels = new float[BATCH * 3 * 32 * 32];
        for (int i = 0; i < pixels.length; i++) pixels[i] = random.nextFloat();
        int[] labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) labels[i] = random.nextInt(10);

        try (PixelSpaceModel model = PixelSpaceModel.randomlyInitialized(spec, CIFAR_MEAN, CIFAR_STD, device)) {
            CleanEvaluator evaluator = new CleanEvaluator(model, BATCH);
            for (int i = 0; i < 3; i++) evaluator.evaluate(pixels, labels);
            double seconds = 0;
            for (int i = 0; i < forwardBatches; i++) seconds += evaluator.evaluate(pixels, labels).modelSeconds();
            double forwardRate = forwardBatches * BATCH / seconds;
            System.out.printf("forward, batch %d: %.0f images/s = %.1f GFLOP/s = %.0f %% of matMul%n", BATCH,
                    forwardRate, forwardRate * flopsPerImage / 1e9, 100 * forwardRate * flopsPerImage / 1e9 / matMulRate);

            double trainingRate = trainingImagesPerSecond(model, pixels, labels, trainingSteps);
            // Backward costs about twice the forward pass (gradients of inputs and of weights).
            double trainingFlops = 3 * flopsPerImage;
            System.out.printf("training step (SGD lr 0.01, momentum 0.9, wd 5e-4), batch %d: %.0f images/s"
                            + " = %.1f GFLOP/s (3x forward) = %.0f %% of matMul%n", BATCH, trainingRate,
                    trainingRate * trainingFlops / 1e9, 100 * trainingRate * trainingFlops / 1e9 / matMulRate);

            long before = ResidentMemory.kilobytes();
            long start = System.nanoTime();
            for (int i = 0; i < memoryBatches; i++) evaluator.evaluate(pixels, labels);
            long after = ResidentMemory.kilobytes();
            System.out.printf("RSS before %d forward batches: %d MB, after: %d MB (%+d MB) in %.0f s%n", memoryBatches,
                    before / 1024, after / 1024, (after - before) / 1024, (System.nanoTime() - start) / 1e9);
        }
    }

    /** Training steps per second times batch size, after two warm-up steps. */
    private static double trainingImagesPerSecond(PixelSpaceModel model, float[] pixels, int[] labels, int steps) {
        Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).optMomentum(0.9f)
                .optWeightDecays(5e-4f).build();
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(sgd);
        float[] floatLabels = new float[labels.length];
        for (int i = 0; i < labels.length; i++) floatLabels[i] = labels[i];
        BatchUploader uploader = new BatchUploader(pixels.length);
        try (Trainer trainer = model.model().newTrainer(config)) {
            long nanos = 0;
            for (int step = -2; step < steps; step++) {
                long began = System.nanoTime();
                try (NDManager batch = model.newBatchManager()) {
                    NDArray images = uploader.upload(batch, pixels, 0, model.network().inputShape(BATCH));
                    NDArray targets = batch.create(floatLabels, new Shape(BATCH));
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDList logits = trainer.forward(new NDList(images));
                        collector.backward(trainer.getLoss().evaluate(new NDList(targets), logits));
                    }
                    trainer.step();
                }
                if (step >= 0) nanos += System.nanoTime() - began;
            }
            return steps * BATCH / (nanos / 1e9);
        }
    }

    static double matMulGflops(int n, int repeats) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.randomUniform(-1, 1, new Shape(n, n));
            NDArray b = manager.randomUniform(-1, 1, new Shape(n, n));
            long start = 0;
            for (int i = -2; i < repeats; i++) {
                if (i == 0) start = System.nanoTime();
                try (NDManager step = manager.newSubManager()) {
                    NDArray product = a.matMul(b);
                    product.attach(step);
                    product.getFloat(0, 0);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return repeats * 2.0 * n * n * n / seconds / 1e9;
        }
    }

    /** Multiply-adds of the convolutions and the classifier, counted as 2 FLOPs each. */
    static double forwardFlops(ConvNetSpec spec) {
        double flops = 0;
        int size = spec.imageSize();
        int inputs = spec.channels();
        for (int block = 0; block < spec.depth(); block++) {
            size += 2 * spec.padding(block) - 2;
            flops += 2.0 * size * size * spec.width() * inputs * 9;
            inputs = spec.width();
            if (spec.pooling() != Pooling.NONE) size /= 2;
        }
        return flops + 2.0 * spec.classifierInputs() * spec.classes();
    }

}
