package dev.bristle.ml.train;

import ai.djl.Device;
import dev.bristle.ml.data.ImageSet;
import dev.bristle.ml.torch.HostTensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Students trained together in one grouped network are the students they would have been alone: same seeds, same
 * initialization, batch order and augmentation draws, their own optimizer state.
 */
class StudentsTogetherTest {

    private static final int[] THREE = {0, 1, 2};

    @Test
    void groupedStepsEqualEachStudentsOwnStepsUpToRounding() throws IOException {
        // DC's IPC-1 set (10 images, one batch per epoch), DSA on, two epochs: two SGD steps with momentum.
        TrainingImages images = SharedTestData.dcCifar10(1);
        TrainingConfig config = TrainingConfig.beard(0).withEpochs(2, 2).withStudents(3).withDevice("cpu");
        StudentTrainer trainer = new StudentTrainer(config);
        List<EpochRecord> reported = new ArrayList<>();
        List<TrainedStudent> together = trainer.trainTogether(images, THREE, (student, epoch) -> reported.add(epoch),
                () -> false);
        assertEquals(3, together.size());
        assertEquals(3 * 2, reported.size(), "every student's every epoch is reported");
        for (int i : THREE) {
            TrainedStudent alone = trainer.train(images, i, TrainingProgress.SILENT, () -> false);
            TrainedStudent grouped = together.get(i);
            assertEquals(alone.index(), grouped.index());
            assertEquals(alone.seed(), grouped.seed());
            assertEquals(alone.stateDict().keySet(), grouped.stateDict().keySet(), "a ConvNet's state dict");
            for (String key : alone.stateDict().keySet()) {
                assertArrayEquals(alone.stateDict().get(key), grouped.stateDict().get(key), key + " of student " + i);
            }
            for (int epoch = 0; epoch < 2; epoch++) {
                assertEquals(alone.curve().get(epoch).loss(), grouped.curve().get(epoch).loss(), 1e-5,
                        "loss of student " + i + " in epoch " + epoch);
                assertEquals(alone.curve().get(epoch).accuracy(), grouped.curve().get(epoch).accuracy(),
                        "training accuracy of student " + i + " in epoch " + epoch);
            }
            assertTrue(alone.completed() && grouped.completed());
        }
    }

    /** Equal up to float rounding: relative to the tensor's largest value, as different kernels sum differently. */
    private static void assertArrayEquals(HostTensor expected, HostTensor actual, String what) {
        assertTrue(Arrays.equals(expected.shape(), actual.shape()), what + ": shape");
        float[] x = expected.floats();
        float[] y = actual.floats();
        double scale = 0;
        double difference = 0;
        for (int i = 0; i < x.length; i++) {
            scale = Math.max(scale, Math.abs(x[i]));
            difference = Math.max(difference, Math.abs(x[i] - y[i]));
        }
        assertTrue(difference <= 1e-4 * Math.max(scale, 1e-3), what + ": differs by " + difference + " (scale "
                + scale + ")");
    }

    /**
     * Heavy: five students of DC's IPC-10 set trained together and five trained alone with the same seeds (BEARD's
     * protocol shortened to 50 nominal epochs) reach the same mean clean accuracy on the 932 exact CIFAR-10 test
     * images, within one standard deviation of the students trained alone.
     */
    @Test
    @Tag("heavy")
    void fiveStudentsTogetherReachTheAccuracyOfFiveAlone() throws IOException {
        TrainingImages images = SharedTestData.dcCifar10(10);
        ImageSet test = SharedTestData.cifar10TestFirst932();
        TrainingConfig config = TrainingConfig.beard(50, 2024).withStudents(5).withDevice("cpu");
        StudentTrainer trainer = new StudentTrainer(config);
        int[] all = {0, 1, 2, 3, 4};
        long began = System.nanoTime();
        List<TrainedStudent> together = trainer.trainTogether(images, all, TrainingProgress.SILENT, () -> false);
        double togetherSeconds = (System.nanoTime() - began) / 1e9;
        began = System.nanoTime();
        List<TrainedStudent> alone = new ArrayList<>();
        for (int i : all) alone.add(trainer.train(images, i, TrainingProgress.SILENT, () -> false));
        double aloneSeconds = (System.nanoTime() - began) / 1e9;
        TrainingRun.AccuracySummary grouped = new TrainingRun(config, images.source(), together, true)
                .cleanAccuracies(test.pixels(), test.labels(), Device.cpu());
        TrainingRun.AccuracySummary single = new TrainingRun(config, images.source(), alone, true)
                .cleanAccuracies(test.pixels(), test.labels(), Device.cpu());
        System.out.printf("DC IPC 10, %d epochs, 5 students: together %s -> mean %.2f %% (sd %.2f) in %.0f s;"
                        + " alone %s -> mean %.2f %% (sd %.2f) in %.0f s%n", config.epochs(),
                Arrays.toString(grouped.accuracies()), grouped.mean(), grouped.standardDeviation(), togetherSeconds,
                Arrays.toString(single.accuracies()), single.mean(), single.standardDeviation(), aloneSeconds);
        assertEquals(single.mean(), grouped.mean(), single.standardDeviation(),
                "mean clean accuracy of the students trained together");
    }
}
