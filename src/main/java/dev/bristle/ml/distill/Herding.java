package dev.bristle.ml.distill;

import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.engine.ComputeDevice;
import dev.bristle.ml.nn.ConvNetSpec;
import dev.bristle.ml.train.StudentTrainer;
import dev.bristle.ml.train.TrainedStudent;
import dev.bristle.ml.train.TrainingConfig;
import dev.bristle.ml.train.TrainingImages;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Herding (Welling, ICML 2009) in a ConvNet's feature space, the coreset baseline of the distillation literature
 * (DC, DM): a BEARD ConvNet is trained on a seeded class-balanced sample of the real images, then for each class
 * images are chosen greedily, each the one that brings the mean feature of those chosen so far closest to the mean
 * feature of all the class's images. Every image of the source is a candidate.
 */
final class Herding implements Distiller {

    /** Images per forward pass when computing the candidates' features. */
    private static final int FEATURE_BATCH = 250;

    @Override
    public Output distill(SourceImages source, DistillationSettings settings, DistillationProgress progress) {
        int classes = source.dataset().classCount();
        SplittableRandom root = new SplittableRandom(settings.seed());
        root.split(); // the initial sample's random source, Distiller.sampleRandom
        int[] trainingSample = source.balancedSample(Math.min(settings.realPerClass(), smallestClass(source)),
                root.split());
        // BEARD's SGD (batch 256, momentum 0.9, weight decay 5e-4) without augmentation or decay, one network.
        TrainingConfig config = TrainingConfig.beard(settings.iterations(), root.nextLong()).toBuilder()
                .epochs(settings.iterations()).lrDecayEpoch(settings.iterations()).learningRate(settings.learningRate())
                .augmentation("none").students(1).device(settings.device()).build();
        TrainingImages training = new TrainingImages(source.description(), source.normalized(trainingSample),
                source.labels(trainingSample), source.dataset().channels(), source.dataset().imageSize(), classes,
                source.dataset().mean(), source.dataset().std());
        int total = settings.iterations() + classes;
        TrainedStudent network = new StudentTrainer(config).train(training, 0,
                (index, epoch) -> progress.progress(epoch.epoch() + 1, total, String.format(Locale.ROOT,
                        "embedding network, epoch %d of %d, loss %.4f", epoch.epoch() + 1, settings.iterations(),
                        epoch.loss())), progress::cancelled);
        Distiller.checkCancelled(progress);

        int ipc = settings.ipc();
        int[] chosen = new int[classes * ipc];
        int[][] byClass = source.byClass();
        ConvNetSpec spec = network.spec();
        try (Embedding embedding = new Embedding(spec, ComputeDevice.select(settings.device()))) {
            embedding.load(network.stateDict());
            for (int c = 0; c < classes; c++) {
                Distiller.checkCancelled(progress);
                int[] candidates = byClass[c];
                if (candidates.length < ipc) {
                    throw new InvalidInputException(source.description() + " has " + candidates.length
                            + " images of class " + c + ", fewer than the " + ipc + " asked for");
                }
                float[] features = embedding.hostFeatures(source.normalized(candidates), candidates.length,
                        FEATURE_BATCH);
                int[] picked = herd(features, candidates.length, embedding.dimension(), ipc);
                for (int k = 0; k < ipc; k++) chosen[c * ipc + k] = candidates[picked[k]];
                progress.progress(settings.iterations() + c + 1, total, "class " + (c + 1) + " of " + classes
                        + ": " + ipc + " of " + candidates.length + " images chosen");
            }
        }
        return new Output(source.normalized(chosen), source.labels(chosen), "a " + spec.describe() + " trained "
                + settings.iterations() + " epochs (SGD lr " + settings.learningRate() + ", momentum 0.9, weight decay"
                + " 5e-4, batch 256, no augmentation) on " + settings.realPerClass() + " seeded real images per class;"
                + " features = its last block, flattened");
    }

    /**
     * Greedy herding: {@code k} rows of {@code features} ({@code n} rows of {@code dimension}), each minimizing the
     * distance between the mean of the rows chosen so far (it included) and the mean of all rows.
     */
    static int[] herd(float[] features, int n, int dimension, int k) {
        double[] mean = new double[dimension];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dimension; d++) mean[d] += features[i * dimension + d];
        }
        for (int d = 0; d < dimension; d++) mean[d] /= n;
        double[] sum = new double[dimension];
        boolean[] taken = new boolean[n];
        int[] picked = new int[k];
        for (int step = 0; step < k; step++) {
            int best = -1;
            double bestDistance = Double.POSITIVE_INFINITY;
            double count = step + 1;
            for (int i = 0; i < n; i++) {
                if (taken[i]) continue;
                double distance = 0;
                int row = i * dimension;
                for (int d = 0; d < dimension; d++) {
                    double gap = mean[d] - (sum[d] + features[row + d]) / count;
                    distance += gap * gap;
                }
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = i;
                }
            }
            taken[best] = true;
            picked[step] = best;
            for (int d = 0; d < dimension; d++) sum[d] += features[best * dimension + d];
        }
        return picked;
    }

    private static int smallestClass(SourceImages source) {
        int smallest = Integer.MAX_VALUE;
        for (int[] members : source.byClass()) smallest = Math.min(smallest, members.length);
        return smallest;
    }
}
