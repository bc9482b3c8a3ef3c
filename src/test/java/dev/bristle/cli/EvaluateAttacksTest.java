package dev.bristle.cli;

import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecords;
import dev.bristle.ml.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bristle evaluate --attacks ...}: table, JSON with per-attack results and metrics, usage errors. */
class EvaluateAttacksTest extends CommandLineHarness {

    private static String model() {
        return SharedData.path("beard/model-pool/BACON_ConvNet_CIFAR10_50_None_0.6995.pth").toString();
    }

    private static String data() {
        return SharedData.path("data/cifar-10-partial-official/test_first932.bin").toString();
    }

    @Test
    void runsAttacksAndReportsThemWithMetrics(@TempDir Path folder) throws IOException {
        Path json = folder.resolve("attacks.json");
        assertEquals(0, run("evaluate", "--model", model(), "--data", data(), "--limit", "16", "--attacks",
                "fgsm,DeepFool,Noise", "--modes", "untargeted,targeted", "--protocol", "beard", "--json",
                json.toString()), err.toString());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("protocol beard"), printed);
        assertTrue(printed.contains("not run: clean images scored, as BEARD"), printed);
        assertTrue(printed.contains("untargeted: RRM"), printed);

        EvaluationRecord record = read(json);
        assertEquals("beard", record.settings().protocol());
        assertEquals(8 / 255.0, record.settings().epsLinf(), 1e-12);
        List<EvaluationRecord.AttackOutcome> runs = record.students().get(0).attacks();
        assertEquals(6, runs.size(), "three attacks in two modes (BEARD scores the rest clean)");
        for (EvaluationRecord.AttackOutcome run : runs) {
            assertEquals(16, run.perImage().correct().length());
            assertEquals(16, run.perImage().prediction().length);
            assertEquals(16, run.perImage().passes().length);
            assertEquals(run.attack().equals("DeepFool"), run.perImage().norm() != null,
                    run.attack() + ": norms for the minimal-perturbation attack only");
            assertTrue(run.seconds() >= 0);
        }
        assertEquals("FGSM", runs.get(0).attack());
        assertTrue(record.metrics().get("untargeted").crei() != null);
        assertTrue(record.metrics().get("untargeted").perAttack().containsKey("FGSM"));
        assertTrue(!record.metrics().get("targeted").perAttack().containsKey("DeepFool"),
                "DeepFool is left out of targeted metrics");
    }

    @Test
    void theSoundProtocolSweepsTheBudgetGridAndDrawsTheCurves(@TempDir Path folder) throws IOException {
        Path json = folder.resolve("sweep.json");
        Path svg = folder.resolve("curves.svg");
        assertEquals(0, run("evaluate", "--model", model(), "--data", data(), "--limit", "24", "--attacks",
                "FGSM,PGD_L2,DeepFool", "--modes", "untargeted", "--grid", "2/255,8/255;0.125,0.5", "--json",
                json.toString(), "--plot", svg.toString()), err.toString());
        String printed = out.toString();
        assertTrue(printed.contains("recorded budgets: L-inf 1/255, L2 0.25"), printed);
        assertTrue(printed.contains("DeepFool     untargeted median minimal perturbation: L2 "), printed);

        EvaluationRecord record = read(json);
        assertEquals(3, record.students().get(0).attacks().size(), "the runs at the recorded budgets feed the metrics");
        assertEquals(1 / 255.0, record.settings().epsLinf(), 1e-12);
        EvaluationRecord.Curve fgsm = record.curves().get(0);
        assertEquals("FGSM", fgsm.attack());
        assertEquals(4, fgsm.points().size(), "clean, the recorded 1/255, 2/255 and 8/255");
        double clean = fgsm.points().get(0).accuracy();
        double at8 = fgsm.points().get(3).accuracy();
        assertTrue(at8 < clean, "FGSM at 8/255 on pixels must hurt: " + at8 + " vs clean " + clean);
        EvaluationRecord.Curve pgdL2 = record.curves().get(1);
        assertEquals("L2", pgdL2.norm());
        assertEquals(List.of(0.0, 0.125, 0.25, 0.5), pgdL2.points().stream().map(EvaluationRecord.CurvePoint::eps)
                .toList());
        double previous = Double.MAX_VALUE;
        for (EvaluationRecord.CurvePoint point : record.curves().get(2).points()) {
            assertTrue(point.accuracy() <= previous, "a curve of minimal perturbations cannot rise");
            previous = point.accuracy();
        }
        double[] norms = record.students().get(0).attacks().get(2).perImage().norm();
        double[] sorted = java.util.Arrays.stream(norms).filter(n -> n > 0).sorted().toArray();
        assertTrue(sorted.length > 0 && sorted[sorted.length / 2] < 2, java.util.Arrays.toString(norms));

        String chart = java.nio.file.Files.readString(svg);
        assertTrue(chart.startsWith("<svg") && chart.contains("FGSM untargeted") && chart.contains("polyline"), chart);
    }

    private static EvaluationRecord read(Path json) throws IOException {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(json)) {
            return EvaluationRecords.read(in);
        }
    }

    /**
     * Issue 10's acceptance as the record keeps it (issue 24): per-image results per attack (per-class accuracy
     * follows from them and the labels), the worst case per mode and the sanity flags.
     */
    @Test
    void theRecordCarriesPerImageResultsTheWorstCaseAndTheFlags(@TempDir Path folder) throws IOException {
        Path json = folder.resolve("evidence.json");
        assertEquals(0, run("evaluate", "--model", model(), "--data", data(), "--limit", "100", "--attacks",
                "FGSM,PGD", "--modes", "untargeted", "--json", json.toString()), err.toString());
        EvaluationRecord record = read(json);
        EvaluationRecord.StudentOutcome student = record.students().get(0);
        double lowest = Double.MAX_VALUE;
        for (EvaluationRecord.AttackOutcome run : student.attacks()) {
            long ones = run.perImage().correct().chars().filter(c -> c == '1').count();
            assertEquals(run.accuracy(), ones, 1e-9, "100 images: the per-image results add up to the accuracy");
            assertTrue(run.passesPerImage() > 1);
            assertEquals(run.passesPerImage(), java.util.Arrays.stream(run.perImage().passes()).average()
                    .orElseThrow(), 1e-9, "the per-image passes add up to the mean");
            lowest = Math.min(lowest, run.accuracy());
        }
        EvaluationRecord.ModeMetrics metrics = record.metrics().get("untargeted");
        assertTrue(metrics.robustAccuracy() <= lowest, metrics + " vs lowest " + lowest);
        assertTrue(student.flags() != null, "the sanity flags, raised or not");
        assertEquals("model-passes", metrics.efficiency(), "the sound protocol's AE counts passes");
        // Two attacks, one student: AEM = 100 * (mean passes - 1) / (max passes - 1) from the recorded passes.
        double fgsm = student.attacks().get(0).passesPerImage();
        double pgd = student.attacks().get(1).passesPerImage();
        assertEquals(100 * ((fgsm + pgd) / 2 - 1) / (Math.max(fgsm, pgd) - 1), metrics.aem(), 1e-9);
        assertTrue(metrics.rrmInterval().low() <= metrics.rrmInterval().high(), metrics.toString());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("untargeted: worst case over FGSM, PGD: "), printed);
    }

    @Test
    void unknownAttackOrModeNamesExitWithTwoAndListTheValidOnes() {
        assertEquals(2, run("evaluate", "--model", model(), "--data", data(), "--attacks", "FGSM,Carlini"));
        assertTrue(err.toString().contains("unknown attack 'Carlini'; valid attacks: FGSM, PGD, PGD_L2, CW, DeepFool,"
                + " AutoAttack, Square, SPSA, Noise"), err.toString());
        err.reset();
        assertEquals(2, run("evaluate", "--model", model(), "--data", data(), "--attacks", "FGSM", "--modes",
                "sideways"));
        assertTrue(err.toString().contains("valid modes: targeted, untargeted"), err.toString());
    }
}
