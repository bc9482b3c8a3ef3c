package dev.bristle.ml.train;

import ai.djl.Device;
import dev.bristle.ml.eval.CleanEvaluator;
import dev.bristle.ml.metrics.Stats;
import dev.bristle.ml.nn.PixelSpaceModel;

import java.util.Arrays;
import java.util.List;

/**
 * The students of one training run with the configuration that made them.
 *
 * @param config   the settings in force
 * @param source   the distilled set trained on
 * @param students the students, in index order (fewer than asked for when cancelled)
 * @param complete true when every student asked for finished every epoch
 */
public record TrainingRun(TrainingConfig config, String source, List<TrainedStudent> students, boolean complete) {

    public TrainingRun {
        students = List.copyOf(students);
    }

    /**
     * Clean accuracy of each student on pixel-space test images, with mean and spread.
     *
     * @param pixels images in [0, 1], NCHW
     * @param labels class of each image
     */
    public AccuracySummary cleanAccuracies(float[] pixels, int[] labels, Device device) {
        double[] accuracies = new double[students.size()];
        for (int i = 0; i < accuracies.length; i++) {
            try (PixelSpaceModel model = students.get(i).toPixelSpaceModel(device)) {
                accuracies[i] = new CleanEvaluator(model, config.batchSize()).evaluate(pixels, labels).accuracy();
            }
        }
        return new AccuracySummary(accuracies);
    }

    /** Accuracies (percent) of several students. */
    public record AccuracySummary(double[] accuracies) {

        public double mean() {
            return Stats.mean(accuracies);
        }

        /** Sample standard deviation (n - 1); 0 for one student. */
        public double standardDeviation() {
            return Stats.sampleStd(accuracies);
        }

        public double min() {
            return Arrays.stream(accuracies).min().orElse(Double.NaN);
        }

        public double max() {
            return Arrays.stream(accuracies).max().orElse(Double.NaN);
        }
    }
}
