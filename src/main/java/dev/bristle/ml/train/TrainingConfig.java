package dev.bristle.ml.train;

import dev.bristle.input.InvalidInputException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Everything that decides how students are trained on a distilled set; recorded with every result.
 *
 * @param epochs            passes over the training images actually run
 * @param batchSize         images per SGD step (the last batch of an epoch may be smaller)
 * @param learningRate      SGD learning rate before the decay
 * @param momentum          SGD momentum (PyTorch semantics, no dampening, no Nesterov)
 * @param weightDecay       L2 penalty coupled into the gradient, as PyTorch's {@code SGD(weight_decay=...)}
 * @param lrDecayEpoch      0-based index of the first epoch that runs at {@code learningRate * lrDecayFactor}; the
 *                          optimizer (and its momentum) starts afresh there, as BEARD's code builds a new one;
 *                          {@code epochs} or more means no decay
 * @param lrDecayFactor     factor applied to the learning rate at {@code lrDecayEpoch}
 * @param augmentation      DSA strategy string ({@link DsaAugmentation#BEARD_STRATEGY}) or {@code none}
 * @param seed              base seed: each student's seed is derived from it ({@link #studentSeed})
 * @param students          how many students are trained
 * @param selection         which weights become the student
 * @param heldOutPerClass   images of each class held out for {@link StudentSelection#BEST_ON_HELD_OUT}
 * @param device            compute device setting: auto, cpu or gpu
 * @param recipe            standard or adversarial training ({@link TrainingRecipe})
 */
public record TrainingConfig(int epochs, int batchSize, double learningRate, double momentum, double weightDecay,
                             int lrDecayEpoch, double lrDecayFactor, String augmentation, long seed, int students,
                             StudentSelection selection, int heldOutPerClass, String device, TrainingRecipe recipe) {

    public TrainingConfig {
        if (epochs < 1) throw new InvalidInputException("epochs must be positive, not " + epochs);
        if (batchSize < 1) throw new InvalidInputException("batch size must be positive, not " + batchSize);
        if (!(learningRate > 0)) throw new InvalidInputException("learning rate must be positive, not " + learningRate);
        if (!(momentum >= 0 && momentum < 1)) throw new InvalidInputException("momentum must be in [0, 1), not " + momentum);
        if (!(weightDecay >= 0)) throw new InvalidInputException("weight decay must be >= 0, not " + weightDecay);
        if (lrDecayEpoch < 0) throw new InvalidInputException("lr decay epoch must be >= 0, not " + lrDecayEpoch);
        if (!(lrDecayFactor > 0)) throw new InvalidInputException("lr decay factor must be positive, not " + lrDecayFactor);
        if (students < 1) throw new InvalidInputException("student count must be positive, not " + students);
        if (heldOutPerClass < 1) {
            throw new InvalidInputException("held-out images per class must be positive, not " + heldOutPerClass);
        }
        DsaAugmentation.parse(augmentation);
        if (selection == null || device == null || recipe == null) {
            throw new IllegalArgumentException("selection, device and recipe are required");
        }
    }

    /**
     * BEARD's protocol as its code (the DC/DSA family's {@code evaluate_synset}) runs it for a nominal
     * {@code Epoch}: {@code for ep in range(Epoch + 1)} trains Epoch + 1 epochs, and the learning rate is divided by
     * 10 after epoch index {@code Epoch // 2 + 1}, i.e. from index {@code Epoch // 2 + 2} on, with a new optimizer.
     * SGD lr 0.01, momentum 0.9, weight decay 5e-4, batch 256, DSA {@value DsaAugmentation#BEARD_STRATEGY}, 5 students,
     * last-epoch weights, device auto.
     */
    public static TrainingConfig beard(int nominalEpochs, long seed) {
        return new TrainingConfig(nominalEpochs + 1, 256, 0.01, 0.9, 0.0005, nominalEpochs / 2 + 2, 0.1,
                DsaAugmentation.BEARD_STRATEGY, seed, 5, StudentSelection.LAST_EPOCH, 1, "auto",
                TrainingRecipe.STANDARD);
    }

    /** {@link #beard(int, long)} with BEARD's 1,000 nominal epochs (1,001 run). */
    public static TrainingConfig beard(long seed) {
        return beard(1000, seed);
    }

    public TrainingConfig withEpochs(int epochs, int lrDecayEpoch) {
        return toBuilder().epochs(epochs).lrDecayEpoch(lrDecayEpoch).build();
    }

    public TrainingConfig withAugmentation(String augmentation) {
        return toBuilder().augmentation(augmentation).build();
    }

    public TrainingConfig withStudents(int students) {
        return toBuilder().students(students).build();
    }

    public TrainingConfig withSeed(long seed) {
        return toBuilder().seed(seed).build();
    }

    public TrainingConfig withSelection(StudentSelection selection, int heldOutPerClass) {
        return toBuilder().selection(selection).heldOutPerClass(heldOutPerClass).build();
    }

    public TrainingConfig withDevice(String device) {
        return toBuilder().device(device).build();
    }

    public TrainingConfig withRecipe(TrainingRecipe recipe) {
        return toBuilder().recipe(recipe).build();
    }

    /** A builder holding these settings: the one place a changed copy is made. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Settings changed one at a time from a starting configuration; {@link #build} checks them all. */
    public static final class Builder {
        private int epochs;
        private int batchSize;
        private double learningRate;
        private double momentum;
        private double weightDecay;
        private int lrDecayEpoch;
        private double lrDecayFactor;
        private String augmentation;
        private long seed;
        private int students;
        private StudentSelection selection;
        private int heldOutPerClass;
        private String device;
        private TrainingRecipe recipe;

        private Builder(TrainingConfig from) {
            epochs = from.epochs;
            batchSize = from.batchSize;
            learningRate = from.learningRate;
            momentum = from.momentum;
            weightDecay = from.weightDecay;
            lrDecayEpoch = from.lrDecayEpoch;
            lrDecayFactor = from.lrDecayFactor;
            augmentation = from.augmentation;
            seed = from.seed;
            students = from.students;
            selection = from.selection;
            heldOutPerClass = from.heldOutPerClass;
            device = from.device;
            recipe = from.recipe;
        }

        public Builder epochs(int value) { epochs = value; return this; }

        public Builder batchSize(int value) { batchSize = value; return this; }

        public Builder learningRate(double value) { learningRate = value; return this; }

        public Builder momentum(double value) { momentum = value; return this; }

        public Builder weightDecay(double value) { weightDecay = value; return this; }

        public Builder lrDecayEpoch(int value) { lrDecayEpoch = value; return this; }

        public Builder lrDecayFactor(double value) { lrDecayFactor = value; return this; }

        public Builder augmentation(String value) { augmentation = value; return this; }

        public Builder seed(long value) { seed = value; return this; }

        public Builder students(int value) { students = value; return this; }

        public Builder selection(StudentSelection value) { selection = value; return this; }

        public Builder heldOutPerClass(int value) { heldOutPerClass = value; return this; }

        public Builder device(String value) { device = value; return this; }

        public Builder recipe(TrainingRecipe value) { recipe = value; return this; }

        public TrainingConfig build() {
            return new TrainingConfig(epochs, batchSize, learningRate, momentum, weightDecay, lrDecayEpoch,
                    lrDecayFactor, augmentation, seed, students, selection, heldOutPerClass, device, recipe);
        }
    }

    /** The learning rate in force during epoch {@code epoch} (0-based). */
    public double learningRate(int epoch) {
        return epoch >= lrDecayEpoch ? learningRate * lrDecayFactor : learningRate;
    }

    /**
     * Seed of student {@code index}: the index-th value of a {@link SplittableRandom} seeded with
     * {@link #seed}, so every student differs and all follow from the one recorded seed.
     */
    public long studentSeed(int index) {
        if (index < 0 || index >= students) {
            throw new IllegalArgumentException("student index " + index + " outside 0.." + (students - 1));
        }
        SplittableRandom random = new SplittableRandom(seed);
        long value = 0;
        for (int i = 0; i <= index; i++) value = random.nextLong();
        return value;
    }

    /** The settings by name, for reports and stored results. */
    public Map<String, Object> describe() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("epochs", epochs);
        settings.put("batchSize", batchSize);
        settings.put("learningRate", learningRate);
        settings.put("momentum", momentum);
        settings.put("weightDecay", weightDecay);
        settings.put("lrDecayEpoch", lrDecayEpoch);
        settings.put("lrDecayFactor", lrDecayFactor);
        settings.put("augmentation", augmentation);
        settings.put("seed", seed);
        settings.put("students", students);
        settings.put("selection", selection.optionName());
        settings.put("heldOutPerClass", heldOutPerClass);
        settings.put("device", device);
        settings.putAll(recipe.settings());
        return settings;
    }
}
