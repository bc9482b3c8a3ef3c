package dev.bristle.ml.train;

import ai.djl.Device;
import dev.bristle.ml.data.ImageSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Long run (heavy: {@code -Pheavy}): three students trained with BEARD's protocol shortened to 50 nominal
 * epochs on DC's IPC-10 CIFAR-10 set, evaluated on the 932 exact CIFAR-10 test images. The DC authors' own
 * 1,000-epoch evaluation of this set gives 42 %; chance is 10 %.
 */
class StudentAccuracyTest {

    @Test
    @Tag("heavy")
    void fiftyEpochsOnDcIpc10ReachAClearlyNonTrivialAccuracy() throws IOException {
        TrainingImages images = SharedTestData.dcCifar10(10);
        ImageSet test = SharedTestData.cifar10TestFirst932();
        assertEquals(932, test.labels().length);
        TrainingConfig config = TrainingConfig.beard(50, 2024).withStudents(3).withDevice("cpu");
        TrainingRun run = new StudentTrainer(config).trainAll(images, (student, epoch) -> {
            if (epoch.epoch() % 10 == 0 || epoch.epoch() == config.epochs() - 1) {
                System.out.printf("student %d epoch %d lr %.4f loss %.4f train acc %.1f %% (%.2f s)%n", student,
                        epoch.epoch(), epoch.learningRate(), epoch.loss(), epoch.accuracy(), epoch.seconds());
            }
        }, () -> false);
        assertTrue(run.complete());
        TrainingRun.AccuracySummary summary = run.cleanAccuracies(test.pixels(), test.labels(), Device.cpu());
        System.out.printf("DC IPC 10, %d epochs, DSA: clean accuracy on 932 CIFAR-10 test images %s -> mean %.2f %%,"
                        + " sd %.2f; %.2f s per epoch%n", config.epochs(), Arrays.toString(summary.accuracies()),
                summary.mean(), summary.standardDeviation(), run.students().get(0).secondsPerEpoch());
        for (double accuracy : summary.accuracies()) {
            assertTrue(accuracy > 25, "student accuracy " + accuracy + " % is not clearly above chance (10 %)");
        }
    }
}
