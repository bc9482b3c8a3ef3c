package dev.bristle.ml.distill;

import ai.djl.Device;
import dev.bristle.ml.SharedData;
import dev.bristle.ml.data.DataDirectory;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.ImageSet;
import dev.bristle.ml.data.Split;
import dev.bristle.ml.train.StudentTrainer;
import dev.bristle.ml.train.TrainingConfig;
import dev.bristle.ml.train.TrainingImages;
import dev.bristle.ml.train.TrainingRun;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Heavy (-Pheavy): DM with its default settings against the random subset of the same seed, on
 * Fashion-MNIST at IPC 1 and 10 ({@code -Dheavy.ipcs=10} for one): students trained on DM's images are more
 * accurate. Prints the figures the README gives.
 */
class DistillationAccuracyTest {

    private static final int TEST_IMAGES = 2000;

    /**
     * BEARD's training protocol shortened so the test takes minutes: at IPC 1 two students of 150 nominal epochs
     * (151 run), at IPC 10 (a hundred times the work per epoch) one student of 50.
     */
    private static TrainingConfig training(int ipc) {
        return ipc == 1 ? TrainingConfig.beard(150, 0).withStudents(2) : TrainingConfig.beard(50, 0).withStudents(1);
    }

    @Test
    @Tag("heavy")
    void dmBeatsTheRandomSubsetOnCleanAccuracy() throws Exception {
        DataDirectory data = DataDirectory.offline(SharedData.datasets());
        SourceImages source = TrainingSources.load(DatasetKind.FASHION_MNIST, data);
        ImageSet test = data.load(DatasetKind.FASHION_MNIST, Split.TEST).subset(TEST_IMAGES);
        for (String ipcText : System.getProperty("heavy.ipcs", "1,10").split(",")) {
            int ipc = Integer.parseInt(ipcText.trim());
            double[] random = accuracy(source, DistillationSettings.defaults(DistillationMethod.RANDOM, ipc, 0), test);
            double[] dm = accuracy(source, DistillationSettings.defaults(DistillationMethod.DM, ipc, 0), test);
            System.out.printf(Locale.ROOT, "Fashion-MNIST IPC %d, %d student(s) x %d epochs, first %d test images:"
                    + " random %.2f +- %.2f %%, DM %.2f +- %.2f %% (DM distilled in %.0f s)%n", ipc,
                    training(ipc).students(), training(ipc).epochs(), TEST_IMAGES, random[0], random[1], dm[0], dm[1],
                    dm[2]);
            assertTrue(dm[0] > random[0], "IPC " + ipc + ": DM " + dm[0] + " % vs random " + random[0] + " %");
        }
    }

    /** Mean and standard deviation of the students' clean accuracy, and the distillation's seconds. */
    private static double[] accuracy(SourceImages source, DistillationSettings settings, ImageSet test) {
        Distillation.Distilled distilled = Distillation.run(source, settings, DistillationProgress.NONE);
        TrainingImages images = TrainingImages.from(distilled.set(), DatasetKind.FASHION_MNIST);
        TrainingRun run = new StudentTrainer(training(settings.ipc())).trainAll(images, (index, epoch) -> { },
                () -> false);
        TrainingRun.AccuracySummary summary = run.cleanAccuracies(test.pixels(), test.labels(), Device.cpu());
        return new double[]{summary.mean(), summary.standardDeviation(), distilled.provenance().seconds()};
    }
}
