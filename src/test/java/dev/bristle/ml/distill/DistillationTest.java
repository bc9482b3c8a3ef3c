package dev.bristle.ml.distill;

import dev.bristle.ml.SharedData;
import dev.bristle.ml.data.DataDirectory;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.ImageSet;
import dev.bristle.ml.data.Normalization;
import dev.bristle.ml.data.NpzWriter;
import dev.bristle.ml.data.Split;
import dev.bristle.ml.score.AttackPlan;
import dev.bristle.ml.score.DistilledFile;
import dev.bristle.ml.score.MemoryStageStore;
import dev.bristle.ml.score.ScoringPipeline;
import dev.bristle.ml.score.TestSets;
import dev.bristle.ml.train.TrainingConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.*;

/** The distillers on real Fashion-MNIST images (Debian's files), with settings small enough for seconds. */
class DistillationTest {

    private static SourceImages source;
    private static ImageSet test;

    @BeforeAll
    static void load() throws Exception {
        DataDirectory data = DataDirectory.offline(SharedData.datasets());
        // The first 1,000 training images: about 100 of each class, enough for small sets.
        source = new SourceImages(DatasetKind.FASHION_MNIST, data.load(DatasetKind.FASHION_MNIST, Split.TRAIN)
                .subset(1000), "the first 1,000 Fashion-MNIST training images");
        test = data.load(DatasetKind.FASHION_MNIST, Split.TEST);
    }

    @Test
    void theRandomSubsetIsClassBalancedSeededAndMadeOfRealImages() {
        var settings = DistillationSettings.defaults(DistillationMethod.RANDOM, 3, 7);
        var first = Distillation.run(source, settings, DistillationProgress.NONE);
        var again = Distillation.run(source, settings, DistillationProgress.NONE);
        var other = Distillation.run(source, DistillationSettings.defaults(DistillationMethod.RANDOM, 3, 8),
                DistillationProgress.NONE);
        assertArrayEquals(new int[]{30, 1, 28, 28}, first.set().shape());
        int[] expectedLabels = new int[30];
        for (int i = 0; i < 30; i++) expectedLabels[i] = i / 3;
        assertArrayEquals(expectedLabels, first.set().labels());
        assertArrayEquals(first.set().images(), again.set().images());
        assertFalse(Arrays.equals(first.set().images(), other.set().images()));
        // Every image is one of the source's, normalized, of the class it is labelled with.
        float[] pixels = first.set().toPixels().images();
        for (int k = 0; k < 30; k++) {
            int match = findImage(Arrays.copyOfRange(pixels, k * 784, (k + 1) * 784));
            assertTrue(match >= 0, "image " + k + " is not a source image");
            assertEquals(k / 3, source.images().labels()[match]);
        }
        assertEquals("random", first.provenance().method());
        assertEquals(0, first.provenance().iterations());
        assertEquals("the first 1,000 Fashion-MNIST training images", first.provenance().sourceData());
    }

    @Test
    void herdingPicksTheRowsWhoseRunningMeanTracksTheMean() {
        // Rows 0..3 in one dimension: 0, 9, 4, 6; the mean is 4.75. The closest single row is 4 (0.75 off), then 6
        // brings the pair's mean to 5 (0.25 off; 9 would give 6.5, 0 would give 2), then 0 gives 3.33 (1.42 off)
        // where 9 gives 6.33 (1.58 off).
        int[] picked = Herding.herd(new float[]{0, 9, 4, 6}, 4, 1, 3);
        assertArrayEquals(new int[]{2, 3, 0}, picked);
    }

    @Test
    void herdingChoosesDistinctRealImagesOfEachClass() {
        var settings = new DistillationSettings(DistillationMethod.HERDING, 2, 3, 2, 0.01, 20, "cpu");
        var herded = Distillation.run(source, settings, DistillationProgress.NONE);
        float[] pixels = herded.set().toPixels().images();
        for (int k = 0; k < 20; k++) {
            int match = findImage(Arrays.copyOfRange(pixels, k * 784, (k + 1) * 784));
            assertTrue(match >= 0, "image " + k + " is not a source image");
            assertEquals(k / 2, source.images().labels()[match]);
        }
        assertFalse(Arrays.equals(Arrays.copyOfRange(pixels, 0, 784), Arrays.copyOfRange(pixels, 784, 1568)));
        assertTrue(herded.provenance().network().contains("trained 2 epochs"), herded.provenance().network());
    }

    @Test
    void aTinyDmSetIsWrittenAcceptedAsAnUploadAndScored(@TempDir Path tmp) throws Exception {
        var settings = new DistillationSettings(DistillationMethod.DM, 1, 5, 3, 1, 8, "cpu");
        List<String> steps = new ArrayList<>();
        var dm = Distillation.run(source, settings, (done, total, label) -> steps.add(done + "/" + total));
        assertEquals(List.of("1/3", "2/3", "3/3"), steps);
        var random = Distillation.run(source, DistillationSettings.defaults(DistillationMethod.RANDOM, 1, 5),
                DistillationProgress.NONE);
        // DM starts from the random subset of the same seed and moves it.
        assertArrayEquals(random.set().labels(), dm.set().labels());
        assertFalse(Arrays.equals(random.set().images(), dm.set().images()));

        Path file = tmp.resolve("dm.npz");
        dm.writeNpz(file);
        var checked = DistilledFile.readAndCheck(file, "dm.npz", new DistilledFile.Declared(DatasetKind.FASHION_MNIST,
                1, Normalization.meanStd(DatasetKind.FASHION_MNIST)));
        assertEquals(List.of(), checked.problems());
        assertEquals(DistilledFile.Format.NPZ, checked.format());
        assertArrayEquals(dm.set().images(), checked.set().images());
        Provenance read = Provenance.fromJson(NpzWriter.provenance(file).orElseThrow());
        assertEquals(dm.provenance().toJson(), read.toJson());
        assertEquals(3, read.iterations());
        assertEquals(5L, read.seed());

        TestSets.TestSet testSet = new TestSets.TestSet(test, "Fashion-MNIST test split", null, null, null,
                test.count()).firstImages(500);
        ScoringPipeline.Result result = new ScoringPipeline().run(new ScoringPipeline.Request("DM", checked.set(),
                        DatasetKind.FASHION_MNIST, testSet, TrainingConfig.beard(20, 0).withStudents(1),
                        AttackPlan.none()),
                new MemoryStageStore(), new ScoringPipeline.Listener() {
                    public void stageStarted(ScoringPipeline.Stage stage, int total, String label) { }

                    public void progress(int done, int total, String label) { }

                    public boolean cancelled() {
                        return false;
                    }
                });
        assertTrue(result.completed());
        assertEquals(500, result.testImages());
        // Ten images, one per class, already classify far above chance (10 %).
        assertTrue(result.meanCleanAccuracy() > 30, "clean accuracy " + result.meanCleanAccuracy());
    }

    @Test
    void cancellationStopsDm() {
        var settings = new DistillationSettings(DistillationMethod.DM, 1, 5, 1000, 10, 8, "cpu");
        int[] steps = {0};
        assertThrows(CancellationException.class, () -> Distillation.run(source, settings, new DistillationProgress() {
            public void progress(int done, int total, String label) {
                steps[0] = done;
            }

            public boolean cancelled() {
                return steps[0] >= 2;
            }
        }));
        assertEquals(2, steps[0]);
    }

    @Test
    void refusesMoreImagesPerClassThanTheSourceHolds() {
        var e = assertThrows(IllegalArgumentException.class, () -> Distillation.run(source,
                DistillationSettings.defaults(DistillationMethod.RANDOM, 500, 0), DistillationProgress.NONE));
        assertTrue(e.getMessage().startsWith("the first 1,000 Fashion-MNIST training images has "), e.getMessage());
        assertTrue(e.getMessage().endsWith(", fewer than the 500 asked for"), e.getMessage());
    }

    private static int findImage(float[] pixels) {
        float[] all = source.images().pixels();
        for (int i = 0; i < source.images().count(); i++) {
            boolean same = true;
            for (int k = 0; k < 784 && same; k++) same = Math.abs(all[i * 784 + k] - pixels[k]) < 1e-5f;
            if (same) return i;
        }
        return -1;
    }
}
