package dev.bristle.ml.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.ImageSet;
import dev.bristle.ml.data.Normalization;
import dev.bristle.ml.eval.CleanEvaluator;
import dev.bristle.ml.nn.ConvNet;
import dev.bristle.ml.nn.ConvNetSpec;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.torch.TorchCheckpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Trains real students with the real DJL engine on DC's real distilled CIFAR-10 sets. */
class StudentTrainerTest {

    private static TrainingImages ipc10;
    private static TrainingImages ipc1;

    @BeforeAll
    static void readData() throws IOException {
        ipc10 = SharedTestData.dcCifar10(10);
        ipc1 = SharedTestData.dcCifar10(1);
    }

    /** BEARD's settings, shortened: {@code epochs} epochs, one student, CPU. */
    private static TrainingConfig shortRun(int epochs, long seed) {
        return TrainingConfig.beard(seed).withEpochs(epochs, epochs).withStudents(1).withDevice("cpu");
    }

    private static TrainedStudent train(TrainingConfig config, TrainingImages images) {
        return new StudentTrainer(config).train(images, 0, TrainingProgress.SILENT, () -> false);
    }

    private static double maxDifference(Map<String, HostTensor> a, Map<String, HostTensor> b) {
        double max = 0;
        for (String key : a.keySet()) {
            float[] x = a.get(key).floats();
            float[] y = b.get(key).floats();
            for (int i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] - y[i]));
        }
        return max;
    }

    private static boolean bitIdentical(Map<String, HostTensor> a, Map<String, HostTensor> b) {
        if (!a.keySet().equals(b.keySet())) return false;
        for (String key : a.keySet()) {
            if (!Arrays.equals(a.get(key).floats(), b.get(key).floats())) return false;
        }
        return true;
    }

    @Test
    void tenEpochsLowerTheLossAndAlreadyBeatChanceOnRealTestImages() throws IOException {
        // Without augmentation the loss of the one 100-image batch falls steadily.
        TrainedStudent student = train(shortRun(10, 1).withAugmentation("none"), ipc10);
        List<EpochRecord> curve = student.curve();
        assertEquals(10, curve.size());
        assertTrue(student.completed());
        double first = curve.get(0).loss();
        double last = curve.get(9).loss();
        assertTrue(first > 2.0 && first < 2.6, "initial loss near ln 10 = 2.30, was " + first);
        assertTrue(last < first - 0.3, "loss went from " + first + " to " + last);
        assertTrue(curve.get(9).accuracy() > curve.get(0).accuracy(), curve.toString());
        for (EpochRecord record : curve) {
            assertEquals(0.01, record.learningRate(), 1e-12);
            assertTrue(Double.isNaN(record.heldOutAccuracy()));
            assertTrue(record.seconds() > 0);
        }
        assertEquals(9, student.selectedEpoch());
        assertEquals(StudentSelection.LAST_EPOCH, student.selection());

        // Evaluated through its pixel-space model on the 932 exact CIFAR-10 test images: clearly above chance (10 %).
        ImageSet test = SharedTestData.cifar10TestFirst932();
        try (PixelSpaceModel model = student.toPixelSpaceModel(Device.cpu())) {
            double accuracy = new CleanEvaluator(model).evaluate(test.pixels(), test.labels()).accuracy();
            assertTrue(accuracy > 20, "clean accuracy after 10 epochs: " + accuracy + " %");
        }
    }

    @Test
    void sameSeedGivesBitIdenticalWeightsAndAnotherSeedOthers() {
        TrainingConfig config = shortRun(3, 42);
        TrainedStudent a = train(config, ipc1);
        TrainedStudent b = train(config, ipc1);
        TrainedStudent c = train(config.withSeed(43), ipc1);
        assertEquals(a.seed(), b.seed());
        assertTrue(bitIdentical(a.stateDict(), b.stateDict()), "same seed, different weights");
        assertEquals(a.curve().get(2).loss(), b.curve().get(2).loss());
        assertFalse(bitIdentical(a.stateDict(), c.stateDict()), "another seed gave the same weights");
        assertTrue(a.seed() != c.seed());
    }

    @Test
    void cancellationStopsBeforeTheNextBatch() {
        // Batch 16 over 100 images: 7 batches per epoch. The flag turns true at its 10th check.
        TrainingConfig config = TrainingConfig.beard(7).withEpochs(5, 5).withStudents(3).withDevice("cpu");
        config = config.toBuilder().batchSize(16).build();
        AtomicInteger checks = new AtomicInteger();
        List<EpochRecord> reported = new ArrayList<>();
        TrainingRun run = new StudentTrainer(config).trainAll(ipc10, (student, epoch) -> reported.add(epoch),
                () -> checks.incrementAndGet() >= 10);
        // 9 batches ran (epoch 0's 7 and 2 of epoch 1); the 10th check stopped it and nothing was checked after.
        assertEquals(10, checks.get());
        assertFalse(run.complete());
        assertEquals(1, run.students().size(), "no further student may start after cancellation");
        TrainedStudent student = run.students().get(0);
        assertFalse(student.completed());
        assertEquals(1, student.curve().size());
        assertEquals(1, reported.size());
        assertEquals(0, student.selectedEpoch());
        assertEquals(new ConvNet(student.spec()).stateDictKeys(), student.stateDict().keySet());
    }

    @Test
    void learningRateDropsAtTheConfiguredEpoch() {
        TrainingConfig beard = TrainingConfig.beard(11);
        assertEquals(1001, beard.epochs(), "range(Epoch + 1) with Epoch = 1000");
        assertEquals(0.01, beard.learningRate(501), 1e-12);
        assertEquals(0.001, beard.learningRate(502), 1e-12);

        // Decay at epoch 2 by a factor of 1e-9: epoch 2 then barely moves the weights.
        TrainingConfig base = shortRun(2, 5);
        TrainedStudent twoEpochs = train(base, ipc1);
        TrainedStudent decayed = train(base.withEpochs(3, 2), ipc1);
        TrainingConfig frozen = base.toBuilder().epochs(3).lrDecayEpoch(2).lrDecayFactor(1e-9).students(1)
                .heldOutPerClass(1).device("cpu").build();
        TrainedStudent nearlyFrozen = train(frozen, ipc1);
        TrainedStudent undecayed = train(base.withEpochs(3, 3), ipc1);

        assertEquals(List.of(0.01, 0.01, 0.001), decayed.curve().stream().map(EpochRecord::learningRate).toList());
        assertTrue(maxDifference(twoEpochs.stateDict(), nearlyFrozen.stateDict()) < 1e-6,
                "a 1e-9 learning rate still moved the weights by "
                        + maxDifference(twoEpochs.stateDict(), nearlyFrozen.stateDict()));
        double fullStep = maxDifference(twoEpochs.stateDict(), undecayed.stateDict());
        double decayedStep = maxDifference(twoEpochs.stateDict(), decayed.stateDict());
        assertTrue(fullStep > 1e-4, "the third epoch at lr 0.01 moved the weights by only " + fullStep);
        assertTrue(decayedStep < fullStep / 3, "lr 0.001 step " + decayedStep + " vs lr 0.01 step " + fullStep);
    }

    @Test
    void bestOnHeldOutHoldsImagesOutOrFallsBackWithAReason() {
        TrainingConfig config = shortRun(3, 3).withSelection(StudentSelection.BEST_ON_HELD_OUT, 1);
        TrainedStudent selected = train(config, ipc10);
        assertEquals(StudentSelection.BEST_ON_HELD_OUT, selected.selection());
        assertEquals(90, selected.trainingImages());
        assertEquals(10, selected.heldOutImages());
        assertTrue(selected.selectedEpoch() >= 0 && selected.selectedEpoch() < 3);
        for (EpochRecord record : selected.curve()) {
            assertTrue(record.heldOutAccuracy() >= 0 && record.heldOutAccuracy() <= 100);
        }
        double best = selected.curve().stream().mapToDouble(EpochRecord::heldOutAccuracy).max().orElseThrow();
        assertEquals(best, selected.curve().get(selected.selectedEpoch()).heldOutAccuracy());
        assertTrue(selected.selectionNote().isEmpty());

        TrainedStudent fallback = train(config, ipc1);
        assertEquals(StudentSelection.LAST_EPOCH, fallback.selection());
        assertEquals(10, fallback.trainingImages());
        assertEquals(0, fallback.heldOutImages());
        assertEquals(2, fallback.selectedEpoch());
        assertTrue(fallback.selectionNote().contains("has only 1 image"), fallback.selectionNote());
    }

    @Test
    void theStudentTakesPixelsThroughTheNormalizationItWasTrainedBehind() throws IOException {
        TrainedStudent student = train(shortRun(2, 9), ipc10);
        ConvNetSpec spec = student.spec();
        assertEquals(ConvNetSpec.beard(3, 32, 10), spec);
        assertEquals(new ConvNet(spec).stateDictKeys(), student.stateDict().keySet());
        // The stored (normalized) images through the bare network = the same images as pixels through the student.
        int count = 8;
        float[] normalized = Arrays.copyOf(ipc10.images(), count * 3072);
        float[] pixels = Normalization.meanStd(DatasetKind.CIFAR10).toPixels(normalized, 3, 32 * 32);
        // The weights go to the model pool as a PyTorch state dict file and come back unchanged.
        Path checkpoint = Files.createTempFile("student", ".pth");
        try {
            TorchCheckpoint.writeStateDict(student.stateDict(), checkpoint);
            Map<String, HostTensor> reread = TorchCheckpoint.readStateDict(checkpoint);
            assertTrue(bitIdentical(student.stateDict(), reread), "state dict changed on its way through the file");
        } finally {
            Files.delete(checkpoint);
        }
        float[] identityMean = {0, 0, 0};
        float[] identityStd = {1, 1, 1};
        try (PixelSpaceModel pixelModel = student.toPixelSpaceModel(Device.cpu());
             PixelSpaceModel bare = PixelSpaceModel.fromStateDict(student.stateDict(), 32, identityMean, identityStd,
                     Device.cpu());
             NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray fromPixels = pixelModel.logits(manager.create(pixels, pixelModel.network().inputShape(count)));
            NDArray fromNormalized = bare.logits(manager.create(normalized, pixelModel.network().inputShape(count)));
            assertArrayEquals(fromNormalized.toFloatArray(), fromPixels.toFloatArray(), 1e-3f);
        }
    }
}
