package dev.bristle.ml.score;

import dev.bristle.ml.SharedData;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.DistilledSet;
import dev.bristle.ml.data.Normalization;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.attack.BudgetSweep;
import dev.bristle.ml.attack.Norm;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.evidence.AttackEvidence;
import dev.bristle.ml.evidence.MetricUncertainty;
import dev.bristle.ml.evidence.ModelEvidence;
import dev.bristle.ml.evidence.WorstCase;
import dev.bristle.ml.metrics.EfficiencyBasis;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.train.TrainingConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scoring pipeline on DC's real CIFAR-10 IPC-1 set: students, clean accuracy, and resuming after a stop. */
class ScoringPipelineTest {

    static final class Recorder implements ScoringPipeline.Listener {
        final List<String> events = new ArrayList<>();
        final java.util.function.BooleanSupplier cancel;

        Recorder(java.util.function.BooleanSupplier cancel) {
            this.cancel = cancel;
        }

        @Override
        public void stageStarted(ScoringPipeline.Stage stage, int total, String label) {
            events.add(stage + " " + total);
        }

        @Override
        public void progress(int done, int total, String label) {
            events.add(done + "/" + total + " " + label);
        }

        @Override
        public boolean cancelled() {
            return cancel.getAsBoolean();
        }
    }

    /** One student, four epochs on DC's CIFAR-10 IPC-10 set, tested on the first 100 images, attacked by {@code plan}. */
    static ScoringPipeline.Request dcTenOnAHundredImages(AttackPlan plan) throws Exception {
        DistilledSet set = DistilledFile.read(SharedData.dcCifar10(10),
                DistilledFile.Format.RES_PT, Normalization.meanStd(DatasetKind.CIFAR10));
        TestSets.TestSet test = TestSets.load(DatasetKind.CIFAR10, SharedData.path("data")).firstImages(100);
        return new ScoringPipeline.Request("DC", set, DatasetKind.CIFAR10, test,
                TrainingConfig.beard(4, 11).withStudents(1), plan);
    }

    @Test
    void trainsEvaluatesAndResumesWithoutRedoingFinishedStudents() throws Exception {
        Path file = SharedData.dcCifar10(1);
        DistilledSet set = DistilledFile.read(file, DistilledFile.Format.RES_PT,
                Normalization.meanStd(DatasetKind.CIFAR10));
        TestSets.TestSet test = TestSets.load(DatasetKind.CIFAR10, SharedData.path("data")).firstImages(300);
        TrainingConfig config = TrainingConfig.beard(7).withEpochs(3, 2).withStudents(2);
        var request = new ScoringPipeline.Request("DC", set, DatasetKind.CIFAR10, test, config, AttackPlan.none());
        MemoryStageStore store = new MemoryStageStore();

        // First run stops as soon as the first student is stored, as a crash or a cancel between students would.
        Recorder first = new Recorder(() -> store.trainedCount() == 1);
        ScoringPipeline.Result stopped = new ScoringPipeline().run(request, store, first);
        assertFalse(stopped.completed());
        assertEquals(1, store.trainedCount());
        assertTrue(first.events.contains("3/6 student 1 of 2, epoch 3 of 3, loss " + first.events.get(3)
                .substring(first.events.get(3).lastIndexOf(' ') + 1)), first.events.toString());

        Recorder second = new Recorder(() -> false);
        ScoringPipeline.Result result = new ScoringPipeline().run(request, store, second);
        assertTrue(result.completed());
        assertEquals(List.of(true, false), result.students().stream().map(ScoringPipeline.StudentScore::reused).toList());
        assertTrue(second.events.contains("3/6 student 1 of 2 trained before"), second.events.toString());
        assertTrue(second.events.stream().noneMatch(e -> e.contains("student 1 of 2, epoch")), "student 1 retrained");
        assertEquals(3, second.events.stream().filter(e -> e.contains("student 2 of 2, epoch")).count());
        assertEquals(300, result.testImages());
        assertTrue(result.testSetNote().contains("JPEG"), result.testSetNote());
        for (var s : result.students()) {
            // Three epochs on ten images: better than chance (10 %), far from the 26.5 % the file reports.
            assertTrue(s.cleanAccuracy() > 11 && s.cleanAccuracy() < 40, "accuracy " + s.cleanAccuracy());
        }
        assertEquals(store.cleanAccuracy(0).getAsDouble(), result.students().get(0).cleanAccuracy());
    }

    @Test
    void attacksTheStudentsComputesBeardsMetricsAndResumesWithoutReattacking() throws Exception {
        var request = dcTenOnAHundredImages(AttackPlan.of(List.of("FGSM", "Noise"),
                List.of(AttackMode.TARGETED, AttackMode.UNTARGETED), AttackProtocol.BEARD, 0));
        MemoryStageStore store = new MemoryStageStore();
        Recorder first = new Recorder(() -> false);
        ScoringPipeline.Result result = new ScoringPipeline().run(request, store, first);

        assertTrue(result.completed());
        assertTrue(first.events.contains("ATTACKS 400"), first.events.toString());
        // Progress counts samples over all attack runs: the fourth run's batch ends at 400, not back at 100.
        assertTrue(first.events.contains("400/400 student 1 of 1, Noise untargeted, 100 of 100 images"),
                first.events.toString());
        double clean = store.attackMeasurement(0, AttackMode.UNTARGETED, Measurement.CLEAN).orElseThrow().accuracy();
        assertEquals(result.students().get(0).cleanAccuracy(), clean, 1e-9, "the suite's clean pass agrees");
        double fgsm = store.attackMeasurement(0, AttackMode.UNTARGETED, "FGSM").orElseThrow().accuracy();
        assertTrue(fgsm < clean, "FGSM " + fgsm + " below clean " + clean);
        MetricReport untargeted = result.metrics().get(AttackMode.UNTARGETED);
        assertEquals(List.of("FGSM", "Noise"), untargeted.attacks());
        assertEquals(clean, untargeted.robustness().meanClean(), 1e-9);
        assertTrue(untargeted.crei() != null && untargeted.rr() != null, untargeted.notes().toString());
        assertTrue(result.metrics().containsKey(AttackMode.TARGETED));
        assertEquals(EfficiencyBasis.WALL_TIME, untargeted.efficiency().basis(), "BEARD's AE counts seconds");

        ModelEvidence student = result.evidence().get(0);
        assertEquals("student 1", student.label());
        assertEquals(10, student.cleanPerClass().accuracy().size());
        assertEquals(100, student.gradients().images());
        for (AttackEvidence attack : student.attacks()) {
            assertEquals(10, attack.perClass().accuracy().size(), attack.attack());
        }
        WorstCase worst = student.worstCase().stream().filter(w -> w.mode() == AttackMode.UNTARGETED).findFirst()
                .orElseThrow();
        double noise = store.attackMeasurement(0, AttackMode.UNTARGETED, "Noise").orElseThrow().accuracy();
        assertTrue(worst.accuracy() <= Math.min(fgsm, noise), worst.accuracy() + " vs " + fgsm + ", " + noise);
        MetricUncertainty uncertainty = result.uncertainty().get(AttackMode.UNTARGETED);
        assertEquals(untargeted.crei(), uncertainty.crei().value());
        assertTrue(uncertainty.overImages() && uncertainty.crei().low() <= uncertainty.crei().high());

        Recorder second = new Recorder(() -> false);
        ScoringPipeline.Result again = new ScoringPipeline().run(request, store, second);
        assertEquals(untargeted.crei(), again.metrics().get(AttackMode.UNTARGETED).crei());
        assertTrue(second.events.stream().noneMatch(e -> e.contains("of 100 images")), "no attack ran again: "
                + second.events);
    }

    @Test
    void aBudgetGridGivesCurvesThroughTheRecordedRunsAndResumesWithoutRerunning() throws Exception {
        // The sound protocol records 1/255 and 0.25; the grid adds 2/255 and 0.5.
        BudgetSweep.Grid grid = new BudgetSweep.Grid(List.of(1 / 255.0, 2 / 255.0), List.of(0.25, 0.5));
        var request = dcTenOnAHundredImages(AttackPlan.of(List.of("FGSM", "PGD_L2", "DeepFool"),
                List.of(AttackMode.UNTARGETED), AttackProtocol.SOUND, 0).withGrid(grid));
        MemoryStageStore store = new MemoryStageStore();
        Recorder first = new Recorder(() -> false);
        ScoringPipeline.Result result = new ScoringPipeline().run(request, store, first);

        assertTrue(result.completed());
        assertTrue(first.events.contains("ATTACKS 500"), "FGSM twice, PGD-L2 twice, DeepFool once: " + first.events);
        assertEquals(4, store.curvePointCount(), "FGSM at 2/255, PGD-L2 at 0.5, DeepFool read at 0.25 and 0.5");
        double clean = result.students().get(0).cleanAccuracy();
        List<BudgetSweep.Curve> curves = result.curves();
        MetricReport metrics = result.metrics().get(AttackMode.UNTARGETED);
        assertEquals(EfficiencyBasis.MODEL_PASSES, metrics.efficiency().basis(), "the sound protocol counts passes");
        assertEquals(1.0, metrics.efficiency().meanClean(), 1e-12, "the clean pass is one forward pass per image");
        assertEquals(List.of("FGSM", "PGD_L2", "DeepFool"), curves.stream().map(BudgetSweep.Curve::attack).toList());
        assertEquals(List.of(Norm.LINF, Norm.L2, Norm.L2), curves.stream().map(BudgetSweep.Curve::norm).toList());
        assertEquals(List.of(true, true, false), curves.stream().map(BudgetSweep.Curve::measured).toList());
        for (BudgetSweep.Curve curve : curves) {
            assertEquals(List.of(0.0, curve.norm() == Norm.LINF ? 1 / 255.0 : 0.25,
                    curve.norm() == Norm.LINF ? 2 / 255.0 : 0.5), curve.points().stream()
                    .map(BudgetSweep.Point::eps).toList(), curve.attack());
            assertEquals(clean, curve.points().get(0).accuracy(), 1e-9, curve.attack() + " starts at the clean accuracy");
        }
        assertEquals(store.attackMeasurement(0, AttackMode.UNTARGETED, "FGSM").orElseThrow().accuracy(),
                curves.get(0).points().get(1).accuracy(), 1e-9, "the recorded run is the curve's point");
        List<BudgetSweep.Point> pgdL2 = curves.get(1).points();
        assertTrue(pgdL2.get(2).accuracy() <= pgdL2.get(1).accuracy() && pgdL2.get(1).accuracy() < clean,
                "PGD-L2 hurts more with more budget: " + pgdL2);
        List<BudgetSweep.Point> deepFool = curves.get(2).points();
        assertTrue(deepFool.get(2).accuracy() <= deepFool.get(1).accuracy(), "a minimal-perturbation curve falls");

        Recorder second = new Recorder(() -> false);
        ScoringPipeline.Result again = new ScoringPipeline().run(request, store, second);
        assertEquals(curves, again.curves());
        assertTrue(second.events.stream().noneMatch(e -> e.contains("of 100 images")), "no attack ran again: "
                + second.events);
        assertThrows(IllegalArgumentException.class, () -> AttackPlan.of(List.of("FGSM"),
                List.of(AttackMode.UNTARGETED), AttackProtocol.BEARD, 0).withGrid(grid));
    }

    @Test
    void pixelSetsTrainOnTheSameValuesAsTheirNormalizedOriginal() throws Exception {
        Path file = SharedData.dcCifar10(1);
        DistilledSet normalized = DistilledFile.read(file, DistilledFile.Format.RES_PT,
                Normalization.meanStd(DatasetKind.CIFAR10));
        DistilledSet pixels = normalized.toPixels();
        TestSets.TestSet test = TestSets.load(DatasetKind.CIFAR10, SharedData.path("data")).firstImages(10);
        TrainingConfig config = TrainingConfig.beard(1);
        float[] a = StudentTraining.trainingImages(new ScoringPipeline.Request("DC", normalized, DatasetKind.CIFAR10,
                test, config, AttackPlan.none())).images();
        float[] b = StudentTraining.trainingImages(new ScoringPipeline.Request("DC", pixels, DatasetKind.CIFAR10,
                test, config, AttackPlan.none())).images();
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-4, "value " + i);
    }
}
