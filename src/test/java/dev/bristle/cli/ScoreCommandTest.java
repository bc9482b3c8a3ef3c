package dev.bristle.cli;

import dev.bristle.ml.SharedData;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecords;
import dev.bristle.ml.record.RecordFile;
import dev.bristle.ml.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./bristle score} on DC's real CIFAR-10 IPC-1 set, and its refusals. */
class ScoreCommandTest extends CommandLineHarness {

    private static final String DC1 = SharedData.dcCifar10(1).toString();

    @Test
    void scoresASetAndWritesJson(@TempDir Path tmp) throws Exception {
        Path json = tmp.resolve("score.json");
        assertEquals(0, run("score", "--file", DC1, "--dataset", "CIFAR-10", "--ipc", "1", "--method", "DC",
                "--epochs", "2", "--students", "2", "--limit", "100", "--data", SharedData.path("data").toString(),
                "--attacks", "FGSM,Noise", "--modes", "untargeted", "--json", json.toString()), err::toString);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("DC on CIFAR-10, IPC 1: 2 student(s), 3 epoch(s) each, standard training, 100 test images"), text);
        assertTrue(text.contains("note: the official test images re-encoded as JPEG"), text);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("training: training 2 student(s) for 3 epoch(s)"
                + " on 10 images"), err::toString);
        EvaluationRecord report = read(json);
        assertEquals(2, report.students().size());
        assertEquals(100, report.testSet().images());
        assertEquals(2, report.settings().epochs(), "the nominal epochs, as --epochs gave them");
        TrainingConfig training = TrainingConfig.beard(2, 0).withStudents(2);
        assertEquals(List.of(training.studentSeed(0), training.studentSeed(1)),
                report.students().stream().map(EvaluationRecord.StudentOutcome::seed).toList());
        assertEquals(0, report.settings().attackSeed());
        assertEquals(1, report.settings().protocolVersion());
        double mean = report.students().stream().mapToDouble(EvaluationRecord.StudentOutcome::cleanAccuracy)
                .average().orElseThrow();
        assertTrue(text.contains(String.format(java.util.Locale.ROOT, "mean clean accuracy %.2f %%", mean)), text);
        assertTrue(mean >= 0 && mean <= 100);
        EvaluationRecord.ModeMetrics untargeted = report.metrics().get("untargeted");
        assertEquals(List.of("FGSM", "Noise"), List.copyOf(untargeted.perAttack().keySet()));
        assertTrue(text.contains(String.format(java.util.Locale.ROOT, "untargeted: CREI %.2f", untargeted.crei())),
                text);
        assertEquals("model-passes", untargeted.efficiency(), "score's default protocol is sound, as evaluate's");
        assertTrue(untargeted.creiInterval().low() <= untargeted.creiInterval().high());
        for (EvaluationRecord.StudentOutcome student : report.students()) {
            assertEquals(100, student.cleanPredictions().length, "every student's clean predictions");
            assertEquals(List.of("FGSM", "Noise"), student.attacks().stream()
                    .map(EvaluationRecord.AttackOutcome::attack).toList());
            EvaluationRecord.PerImage fgsm = student.attacks().get(0).perImage();
            assertEquals(100, fgsm.prediction().length);
            assertTrue(java.util.Arrays.stream(fgsm.passes()).allMatch(p -> p >= 1), "the scoring pass counts");
            assertEquals(null, fgsm.norm(), "FGSM has a budget: no minimal perturbation");
        }
        assertTrue(report.provenance().command().startsWith("./bristle score --file "),
                report.provenance().command());
        assertTrue(report.provenance().djlVersion() != null && report.provenance().bristleVersion() != null,
                report.provenance().toString());
        assertTrue(text.contains("untargeted: 95 % bootstrap interval (1000 resamples over students and test images)"),
                text);
    }

    @Test
    void readsTheExactOfficialTestImagesFromANamedFileAndRecordsThemAsPartOfTheSplit(@TempDir Path tmp)
            throws Exception {
        Path record = tmp.resolve("measured.json");
        assertEquals(0, run("score", "--file", DC1, "--dataset", "CIFAR-10", "--ipc", "1", "--method", "DC",
                "--epochs", "1", "--students", "1", "--limit", "40", "--test-file",
                SharedData.path("data/cifar-10-partial-official/test_first932.bin").toString(), "--attacks", "FGSM",
                "--modes", "untargeted", "--grid", "none", "--record", record.toString()), err::toString);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(!text.contains("note:"), "exact official images carry no note: " + text);
        EvaluationRecord.TestSetInfo measured = recorded(record).testSet();
        assertEquals(40, measured.images());
        assertEquals(10_000, measured.splitSize(), "the known file is the start of the official split");
        assertNull(measured.copy(), measured::toString);
        assertEquals("CIFAR-10 test images from test_first932.bin (the first 932 official CIFAR-10 test images,"
                + " exact), first 40 of 932 images", measured.description());
    }

    @Test
    void aTestFileNotKnownToBeOfficialIsACopy(@TempDir Path tmp) throws Exception {
        Path altered = tmp.resolve("test_first932.bin");
        byte[] bytes = java.nio.file.Files.readAllBytes(
                SharedData.path("data/cifar-10-partial-official/test_first932.bin"));
        bytes[1] ^= 1; // one pixel of the first image changed: no longer the official file
        java.nio.file.Files.write(altered, bytes);
        Path record = tmp.resolve("measured.json");
        assertEquals(0, run("score", "--file", DC1, "--dataset", "CIFAR-10", "--ipc", "1", "--method", "DC",
                "--epochs", "1", "--students", "1", "--limit", "20", "--test-file", altered.toString(),
                "--attacks", "FGSM", "--modes", "untargeted", "--grid", "none", "--record", record.toString()),
                err::toString);
        EvaluationRecord.TestSetInfo measured = recorded(record).testSet();
        assertEquals("test file test_first932.bin", measured.copy());
        assertTrue(!measured.description().contains(tmp.toString()), "the file is named, not located");
        assertEquals(2, run("score", "--file", DC1, "--dataset", "CIFAR-10", "--ipc", "1", "--method", "DC",
                "--test-file", tmp.resolve("missing.bin").toString()));
    }

    @Test
    void refusesASetThatDoesNotHoldWhatIsStated() {
        assertEquals(2, run("score", "--file", DC1, "--dataset", "CIFAR-100", "--ipc", "1", "--method", "DC"));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("does not hold what was stated"), message);
        assertTrue(message.contains("the stated IPC is 1 but 90 class(es) do not have 1 image(s)"), message);
    }

    @Test
    void unknownAttacksAreRefused() {
        assertEquals(2, run("score", "--file", DC1, "--dataset", "CIFAR-10", "--ipc", "1", "--method", "DC",
                "--attacks", "FGSM,Bogus"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--attacks: unknown attack 'Bogus'"), err::toString);
    }

    @Test
    void aSoundGridPrintsPlotsAndWritesCurves(@TempDir Path tmp) throws Exception {
        Path json = tmp.resolve("score.json");
        Path plot = tmp.resolve("curves.svg");
        assertEquals(0, run("score", "--file", DC1, "--dataset", "CIFAR-10", "--ipc", "1", "--method", "DC",
                "--epochs", "2", "--students", "1", "--limit", "60", "--data", SharedData.path("data").toString(),
                "--attacks", "FGSM,DeepFool", "--modes", "untargeted", "--protocol", "sound",
                "--grid", "1/255,4/255;0.5", "--plot", plot.toString(), "--json", json.toString()), err::toString);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("accuracy versus budget"), text);
        assertTrue(text.matches("(?s).*FGSM +untargeted +Linf +0/255: [0-9.]+%  1/255: [0-9.]+%  4/255: [0-9.]+%\n.*"),
                text);
        assertTrue(text.matches("(?s).*DeepFool +untargeted +L2 +0: [0-9.]+%  0.5: [0-9.]+%\n.*"), text);
        String svg = java.nio.file.Files.readString(plot);
        assertTrue(svg.startsWith("<svg") && svg.contains("FGSM untargeted") && svg.contains("DeepFool untargeted"));
        EvaluationRecord report = read(json);
        List<EvaluationRecord.Curve> curves = report.curves();
        assertEquals(2, curves.size());
        assertEquals(3, curves.get(0).points().size());
        assertEquals(0.5, curves.get(1).points().get(1).eps());
        EvaluationRecord.PerImage deepFool = report.students().get(0).attacks().get(1).perImage();
        assertEquals(60, deepFool.norm().length, "DeepFool's minimal perturbation per image");
    }

    @Test
    void aGridNeedsTheSoundProtocolAndAPlotNeedsAGrid() {
        assertEquals(2, run("score", "--file", DC1, "--dataset", "CIFAR-10", "--ipc", "1", "--method", "DC",
                "--attacks", "FGSM", "--protocol", "beard", "--grid", "default"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--grid needs --protocol sound"), err::toString);
        assertEquals(2, run("score", "--file", DC1, "--dataset", "CIFAR-10", "--ipc", "1", "--method", "DC",
                "--attacks", "FGSM", "--grid", "none", "--plot", "curves.svg"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--plot needs --attacks and a budget grid"),
                err::toString);
    }

    private static EvaluationRecord read(Path json) throws java.io.IOException {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(json)) {
            return EvaluationRecords.read(in);
        }
    }

    private static EvaluationRecord recorded(Path records) throws java.io.IOException {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(records)) {
            return RecordFile.read(in).records().get(0);
        }
    }
}
