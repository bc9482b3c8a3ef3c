package dev.bristle.web.pools;

import dev.bristle.charts.CurveChart;
import dev.bristle.modelpool.ModelView;
import dev.bristle.modelpool.TrainingPoint;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.train.TrainingConfig;
import dev.bristle.scoring.JobPieces;
import dev.bristle.scoring.JobService;
import dev.bristle.scoring.JobSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * What a student's model card shows beyond its pool entry: how it was trained (settings and curve) and what its
 * job measured on it (clean and under each attack). Published checkpoints have neither here: their card says where
 * they come from.
 *
 * @param training      the training settings, one row each; empty for a published checkpoint
 * @param curveSvg      loss and training accuracy per epoch; null when no curve was recorded
 * @param cleanAccuracy the job's clean accuracy of this student (%), null when not measured yet
 * @param robust        accuracy under each attack and mode the job ran on this student
 * @param jobUrl        the page of the job that trained it; null for a published checkpoint
 */
record ModelCard(List<Fact> training, String curveSvg, Double cleanAccuracy, List<Robustness> robust,
                 String jobUrl) {

    record Fact(String label, String value) {
    }

    /** One attack in one mode: the student's accuracy under it and the attack's wall time. */
    record Robustness(String attack, String mode, double accuracy, Double seconds) {
    }

    /** Every attack, for the checkpoint-evaluation form. */
    public List<String> allAttacks() {
        return dev.bristle.ml.attack.AttackLibrary.NAMES;
    }

    static ModelCard published() {
        return new ModelCard(List.of(), null, null, List.of(), null);
    }

    static ModelCard trained(ModelView model, List<TrainingPoint> curve, JobService jobs, JobPieces pieces) {
        long job = model.scoringJobId();
        int index = model.studentIndex();
        JobSettings settings = jobs.settings(job);
        TrainingConfig config = settings.training(dev.bristle.ml.data.DatasetKind.fromName(model.dataset()));
        List<Fact> training = List.of(
                new Fact("Trained by", "scoring job #" + job + ", student " + (index + 1) + " of " + settings.students()),
                new Fact("Epochs", config.epochs() + " (BEARD's " + settings.epochs() + " nominal epochs + 1)"),
                new Fact("Optimizer", String.format(Locale.ROOT, "SGD, learning rate %s, momentum %s, weight decay %s",
                        plain(config.learningRate()), plain(config.momentum()), plain(config.weightDecay()))),
                new Fact("Schedule", String.format(Locale.ROOT, "learning rate × %s from epoch %d",
                        config.lrDecayFactor(), config.lrDecayEpoch())),
                new Fact("Batch size", String.valueOf(config.batchSize())),
                new Fact("Augmentation", config.augmentation()),
                new Fact("Training recipe", config.recipe().describe()),
                new Fact("Base seed", String.valueOf(config.seed())),
                new Fact("Kept weights", config.selection().name().toLowerCase(Locale.ROOT).replace('_', ' ')));
        OptionalDouble clean = pieces.cleanAccuracy(job, index);
        List<Robustness> robust = new ArrayList<>();
        for (String modeKey : settings.modes()) {
            AttackMode mode = AttackMode.fromKey(modeKey);
            for (String attack : settings.attacks()) {
                pieces.attackMeasurement(job, index, mode, attack).ifPresent((Measurement m) ->
                        robust.add(new Robustness(attack, mode.key(), m.accuracy(), m.seconds())));
            }
        }
        return new ModelCard(training, curveSvg(curve), clean.isPresent() ? clean.getAsDouble() : null, robust,
                "/jobs/" + job);
    }

    /** 1, 2, 5, 10, 20, 25, 50, 100, ...: the smallest at least {@code rough}. */
    private static long niceStep(double rough) {
        long magnitude = 1;
        while (true) {
            for (long m : new long[]{1, 2, 5}) if (m * magnitude >= rough) return m * magnitude;
            if (magnitude >= 10 && 25 * magnitude / 10 >= rough) return 25 * magnitude / 10;
            magnitude *= 10;
        }
    }

    private static String plain(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String curveSvg(List<TrainingPoint> curve) {
        if (curve.isEmpty()) return null;
        double[] epochs = curve.stream().mapToDouble(TrainingPoint::epoch).toArray();
        double last = Math.max(1, epochs[epochs.length - 1]);
        long step = niceStep(last / 4);
        List<CurveChart.Tick> ticks = new ArrayList<>();
        for (long epoch = 0; epoch <= last; epoch += step) ticks.add(new CurveChart.Tick(epoch, String.valueOf(epoch)));
        CurveChart.Axis epochAxis = new CurveChart.Axis("epoch", 0, last, ticks, "");
        double[] loss = curve.stream().mapToDouble(TrainingPoint::loss).toArray();
        double[] accuracy = curve.stream().mapToDouble(TrainingPoint::accuracy).toArray();
        double maxLoss = Math.max(0.5, Math.ceil(java.util.Arrays.stream(loss).max().orElse(1) * 2) / 2);
        List<CurveChart.Tick> lossTicks = new ArrayList<>();
        for (double v = 0; v <= maxLoss + 1e-9; v += 0.5) {
            lossTicks.add(new CurveChart.Tick(v, String.format(Locale.ROOT, "%.1f", v)));
        }
        List<CurveChart.Panel> panels = List.of(
                new CurveChart.Panel("Training loss", epochAxis, new CurveChart.Axis("cross-entropy", 0, maxLoss,
                        lossTicks, "")),
                new CurveChart.Panel("Training accuracy", epochAxis, CurveChart.Axis.percent("accuracy", "%")));
        return CurveChart.svg("Training curve", panels, List.of(
                new CurveChart.Series("loss", "loss", false, 0, epochs, loss),
                new CurveChart.Series("accuracy on the (augmented) distilled images", "accuracy", false, 1, epochs,
                        accuracy)));
    }
}
