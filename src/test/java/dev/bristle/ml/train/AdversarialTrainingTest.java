package dev.bristle.ml.train;

import ai.djl.Device;
import dev.bristle.ml.SharedData;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.attack.AttackBudgets;
import dev.bristle.ml.attack.AttackSuite;
import dev.bristle.ml.attack.AttackTarget;
import dev.bristle.ml.attack.CleanRun;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.attack.Pgd;
import dev.bristle.ml.data.DataDirectory;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.ImageSet;
import dev.bristle.ml.data.Split;
import dev.bristle.ml.distill.Distillation;
import dev.bristle.ml.distill.DistillationMethod;
import dev.bristle.ml.distill.DistillationProgress;
import dev.bristle.ml.distill.DistillationSettings;
import dev.bristle.ml.distill.SourceImages;
import dev.bristle.ml.nn.PixelSpaceModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.*;

/** PGD adversarial training (Madry et al.) of students on real Fashion-MNIST sets (Debian's files). */
class AdversarialTrainingTest {

    private static final int TEST_IMAGES = 1000;

    private static DataDirectory data;

    @BeforeAll
    static void data() {
        data = DataDirectory.offline(SharedData.datasets());
    }

    @Test
    void theRecipeIsRecordedAndChecked() {
        TrainingRecipe pgd = TrainingRecipe.pgd(0.1, 10);
        assertEquals(0.025, pgd.stepSize(), 1e-12);
        assertEquals("PGD-AT eps 0.1000, 10 steps of 0.0250", pgd.describe());
        var settings = TrainingConfig.beard(10, 0).withRecipe(pgd).describe();
        assertEquals("pgd-at", settings.get("recipe"));
        assertEquals(0.1, settings.get("adversarialEps"));
        assertEquals(10, settings.get("adversarialSteps"));
        assertEquals("standard", TrainingConfig.beard(10, 0).describe().get("recipe"));
        assertEquals(TrainingRecipe.Kind.PGD_AT, TrainingRecipe.Kind.fromKey("PGD-AT"));
        var e = assertThrows(IllegalArgumentException.class, () -> TrainingRecipe.pgd(0, 10));
        assertEquals("PGD budget must be in (0, 1], not 0.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TrainingRecipe(TrainingRecipe.Kind.STANDARD, 0.1, 0, 0));
    }

    @Test
    void adversarialTrainingTrainsOtherWeightsThanStandardTrainingFromTheSameSeed() throws Exception {
        SourceImages source = new SourceImages(DatasetKind.FASHION_MNIST,
                data.load(DatasetKind.FASHION_MNIST, Split.TRAIN).subset(500), "the first 500 training images");
        TrainingImages images = TrainingImages.from(Distillation.run(source,
                DistillationSettings.defaults(DistillationMethod.RANDOM, 2, 0), DistillationProgress.NONE).set(),
                DatasetKind.FASHION_MNIST);
        TrainingConfig standard = TrainingConfig.beard(3, 1).withStudents(1).withDevice("cpu");
        TrainedStudent plain = new StudentTrainer(standard).train(images, 0, TrainingProgress.SILENT, () -> false);
        TrainedStudent again = new StudentTrainer(standard).train(images, 0, TrainingProgress.SILENT, () -> false);
        TrainedStudent robust = new StudentTrainer(standard.withRecipe(TrainingRecipe.pgd(0.1, 3)))
                .train(images, 0, TrainingProgress.SILENT, () -> false);
        // Same seed: standard training is repeatable; the adversarial examples change the updates.
        assertArrayEquals(plain.stateDict().get("classifier.weight").floats(),
                again.stateDict().get("classifier.weight").floats());
        assertFalse(java.util.Arrays.equals(plain.stateDict().get("classifier.weight").floats(),
                robust.stateDict().get("classifier.weight").floats()));
        assertEquals(4, robust.curve().size());
        for (EpochRecord epoch : robust.curve()) assertTrue(Double.isFinite(epoch.loss()), epoch.toString());
        // The loss on adversarial examples is higher than on the images themselves, epoch for epoch.
        for (int i = 0; i < 4; i++) {
            assertTrue(robust.curve().get(i).loss() > plain.curve().get(i).loss(), robust.curve() + " vs " + plain.curve());
        }
    }

    /**
     * Fashion-MNIST IPC 10 (the random subset), a standard and an adversarially trained student (BEARD's protocol
     * shortened to 50 nominal epochs, PGD-AT at its defaults: the recorded budget, 10 steps), PGD-10 at the recorded
     * budget on the first 1,000 test images: the adversarially trained student keeps more of its accuracy, by more
     * than 5 points (a difference of two accuracies near 50 % on 1,000 images has a standard error of about 2.2).
     */
    @Test
    @Tag("heavy")
    void anAdversariallyTrainedStudentIsMoreRobustAtTheRecordedBudget() throws Exception {
        SourceImages source = new SourceImages(DatasetKind.FASHION_MNIST,
                data.load(DatasetKind.FASHION_MNIST, Split.TRAIN), "Fashion-MNIST's training split");
        ImageSet test = data.load(DatasetKind.FASHION_MNIST, Split.TEST).subset(TEST_IMAGES);
        TrainingImages images = TrainingImages.from(Distillation.run(source,
                DistillationSettings.defaults(DistillationMethod.RANDOM, 10, 0), DistillationProgress.NONE).set(),
                DatasetKind.FASHION_MNIST);
        double eps = AttackBudgets.of(AttackProtocol.SOUND, DatasetKind.FASHION_MNIST).linf();
        TrainingConfig standard = TrainingConfig.beard(50, 0).withStudents(1);
        TrainingRecipe recipe = TrainingRecipe.of("pgd-at", DatasetKind.FASHION_MNIST);
        TrainedStudent plainStudent = new StudentTrainer(standard).train(images, 0, TrainingProgress.SILENT,
                () -> false);
        double[] plain = cleanAndRobust(plainStudent, test, eps);
        double[] robust = cleanAndRobust(new StudentTrainer(standard.withRecipe(recipe)).train(images, 0,
                TrainingProgress.SILENT, () -> false), test, eps);
        System.out.printf(Locale.ROOT, "Fashion-MNIST IPC 10 (random), 51 epochs, PGD-10 at %.4f (%.1f/255) on %d"
                + " test images: standard %.1f %% clean, %.1f %% robust; %s: %.1f %% clean, %.1f %% robust%n", eps,
                eps * 255, TEST_IMAGES, plain[0], plain[1], recipe.describe(), robust[0], robust[1]);
        assertTrue(robust[1] > plain[1] + 5, "robust accuracy " + robust[1] + " vs " + plain[1]);
    }

    private static double[] cleanAndRobust(TrainedStudent student, ImageSet test, double eps) {
        try (PixelSpaceModel model = student.toPixelSpaceModel(Device.cpu())) {
            AttackSuite suite = new AttackSuite(AttackTarget.sound(model), AttackSuite.DEFAULT_BATCH_SIZE, 0, 1,
                    (name, mode, done, all) -> { });
            CleanRun clean = suite.clean(test.pixels(), test.labels());
            double robust = suite.run(new Pgd(eps, 2.5 * eps / 10, 10, true), AttackMode.UNTARGETED, test.pixels(),
                    test.labels(), clean).accuracy();
            return new double[]{clean.accuracy(), robust};
        }
    }
}
