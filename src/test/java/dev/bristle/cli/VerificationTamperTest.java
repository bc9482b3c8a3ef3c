package dev.bristle.cli;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bristle.ml.SharedData;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecord.ModeMetrics;
import dev.bristle.ml.record.EvaluationRecord.RunSettings;
import dev.bristle.ml.score.TestSets;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.verify.Bundle;
import dev.bristle.ml.verify.BundleReader;
import dev.bristle.ml.verify.BundleTampering;
import dev.bristle.ml.verify.OfficialSeeds;
import dev.bristle.ml.verify.Sha256;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 24's tampered bundles, each refused by the check that should catch it, and honest bundles (one made with
 * another thread count) verified: real DJL on Fashion-MNIST at tiny official settings (2 students, 20 epochs, the
 * first 200 test images, FGSM and PGD untargeted, set through the test-only bristle.official.* properties). Heavy:
 * three scoring runs and a dozen verifications, minutes on this machine.
 */
@Tag("heavy")
class VerificationTamperTest extends CommandLineHarness {

    private static final Map<String, String> SCALE = Map.of("bristle.official.students", "2",
            "bristle.official.epochs", "20", "bristle.official.test-images", "200",
            "bristle.official.attacks", "FGSM,PGD", "bristle.official.modes", "untargeted");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static String data;
    static Path setA;
    static Path setB;
    static Path honest;
    static Path otherData;
    static int[] labels;

    @BeforeAll
    static void honestRuns() throws IOException {
        SCALE.forEach(System::setProperty);
        data = SharedData.datasets().toString();
        VerificationTamperTest harness = new VerificationTamperTest();
        setA = dir.resolve("fm-random-1.npz");
        setB = dir.resolve("fm-random-10.npz");
        assertEquals(0, harness.run("distill", "--method", "random", "--dataset", "fashion-mnist", "--ipc", "1",
                "--data", data, "--seed", "1", "--out", setA.toString()), harness::err);
        assertEquals(0, harness.run("distill", "--method", "random", "--dataset", "fashion-mnist", "--ipc", "10",
                "--data", data, "--seed", "2", "--out", setB.toString()), harness::err);
        honest = harness.score(setA, 1, "honest.zip");
        // Ten times the data: students a submitter might pass off as trained on the one-image-per-class set.
        otherData = harness.score(setB, 10, "other-data.zip");
        labels = TestSets.load(DatasetKind.FASHION_MNIST, Path.of(data)).images().labels();
    }

    @AfterAll
    static void clearScale() {
        SCALE.keySet().forEach(System::clearProperty);
    }

    private Path score(Path set, int ipc, String name) {
        Path bundle = dir.resolve(name);
        assertEquals(0, run("score", "--file", set.toString(), "--dataset", "fashion-mnist", "--ipc",
                String.valueOf(ipc), "--method", "Random", "--data", data, "--bundle", bundle.toString()), this::err);
        assertTrue(out().contains("wrote the submission bundle " + bundle), out());
        return bundle;
    }

    /** Verifies {@code bundle}; returns the --json report. */
    private JsonNode verify(Path bundle, int exit, String... checks) throws IOException {
        Path json = dir.resolve(bundle.getFileName() + ".json");
        List<String> args = new ArrayList<>(List.of("verify", bundle.toString(), "--data", data, "--sample", "50",
                "--draw-seed", "11", "--json", json.toString()));
        if (checks.length > 0) args.addAll(List.of("--checks", String.join(",", checks)));
        assertEquals(exit, run(args.toArray(String[]::new)), () -> out() + err());
        return JSON.readTree(json.toFile());
    }

    private static boolean passed(JsonNode report, String check) {
        for (JsonNode outcome : report.get("checks")) {
            // The outcome names its check by its key, as --checks does.
            if (outcome.get("check").asText().equals(check)) {
                return outcome.get("passed").asBoolean();
            }
        }
        throw new AssertionError("no outcome of " + check + " in " + report);
    }

    @Test
    void anHonestBundleVerifies() throws IOException {
        JsonNode report = verify(honest, 0);
        assertTrue(report.get("passed").asBoolean());
        assertEquals(5, report.get("checks").size());
        assertTrue(out().contains("verified: every check passed; draw seed 11"), out());
    }

    @Test
    void anHonestBundleMadeWithAnotherThreadCountVerifies() throws IOException {
        int threads = JniUtils.getNumThreads();
        Path other;
        try {
            JniUtils.setNumThreads(threads == 1 ? 2 : 1);
            other = score(setA, 1, "honest-other-threads.zip");
        } finally {
            JniUtils.setNumThreads(threads);
        }
        verify(other, 0);
    }

    @Test
    void robustAccuracyInflatedByTenPointsFailsTheSampledAttacks() throws IOException {
        Path inflated = dir.resolve("inflated.zip");
        try (Bundle bundle = BundleReader.read(honest)) {
            BundleTampering.rewrite(bundle, inflated, BundleTampering.inflated(bundle.record(), labels, 10), null,
                    null);
        }
        JsonNode report = verify(inflated, 1, "integrity", "clean-predictions", "sampled-attacks", "arithmetic");
        assertTrue(passed(report, "integrity") && passed(report, "clean-predictions")
                && passed(report, "arithmetic"), report::toString);
        assertTrue(!passed(report, "sampled-attacks"), report::toString);
    }

    @Test
    void aStudentReplacedByOneTrainedOnOtherDataFailsTheCleanPredictions() throws IOException {
        Path replaced = dir.resolve("replaced.zip");
        try (Bundle bundle = BundleReader.read(honest); Bundle other = BundleReader.read(otherData)) {
            List<LinkedHashMap<String, HostTensor>> students = List.of(other.stateDict(0), bundle.stateDict(1));
            BundleTampering.rewrite(bundle, replaced, bundle.record(), null, students);
        }
        JsonNode report = verify(replaced, 1, "integrity", "clean-predictions");
        assertTrue(passed(report, "integrity"), report::toString);
        assertTrue(!passed(report, "clean-predictions"), report::toString);
    }

    @Test
    void studentsTrainedOnOtherDataFailTheTraining() throws IOException {
        Path claimed = dir.resolve("claimed.zip");
        try (Bundle other = BundleReader.read(otherData); Bundle honestBundle = BundleReader.read(honest)) {
            EvaluationRecord record = other.record();
            EvaluationRecord a = honestBundle.record();
            // The other run's students and results, claimed as the run of set A with A's official seeds.
            List<EvaluationRecord.StudentOutcome> students = new ArrayList<>();
            for (EvaluationRecord.StudentOutcome s : record.students()) {
                students.add(new EvaluationRecord.StudentOutcome(s.index(), a.students().get(s.index()).seed(),
                        s.cleanAccuracy(), s.cleanPredictions(), null, s.attacks(), s.flags()));
            }
            EvaluationRecord lie = new EvaluationRecord(record.schema(), record.schemaVersion(), a.subject(),
                    a.settings(), record.testSet(), students, record.metrics(), record.curves(), record.provenance());
            BundleTampering.rewrite(other, claimed, BundleTampering.recomputed(lie, labels), setA, null);
        }
        JsonNode report = verify(claimed, 1);
        assertTrue(passed(report, "integrity") && passed(report, "clean-predictions")
                && passed(report, "arithmetic"), report::toString);
        assertTrue(!passed(report, "training"), report::toString);
    }

    @Test
    void anEditedMetricFailsTheArithmetic() throws IOException {
        Path edited = dir.resolve("edited.zip");
        try (Bundle bundle = BundleReader.read(honest)) {
            EvaluationRecord record = bundle.record();
            ModeMetrics m = record.metrics().get("untargeted");
            BundleTampering.rewrite(bundle, edited, BundleTampering.with(record, record.students(), Map.of(
                    "untargeted", new ModeMetrics(m.rrm(), m.aem(), m.crei() + 1, m.rrmInterval(), m.aemInterval(),
                            m.creiInterval(), m.robustAccuracy(), m.efficiency(), m.perAttack()))), null, null);
        }
        JsonNode report = verify(edited, 1, "integrity", "arithmetic");
        assertTrue(passed(report, "integrity"), report::toString);
        assertTrue(!passed(report, "arithmetic"), report::toString);
    }

    @Test
    void aFileWhoseBytesChangedFailsTheIntegrity() throws IOException {
        Path changed = dir.resolve("changed.zip");
        try (Bundle bundle = BundleReader.read(honest)) {
            LinkedHashMap<String, HostTensor> weights = bundle.stateDict(1);
            Map.Entry<String, HostTensor> first = weights.entrySet().iterator().next();
            float[] values = first.getValue().floats().clone();
            values[0] += 1e-3f;
            weights.put(first.getKey(), HostTensor.ofFloats(values, first.getValue().shape()));
            // The new bytes, with the manifest and record of the honest bundle: what changing a file inside does.
            Path rewritten = dir.resolve("rewritten.zip");
            BundleTampering.rewrite(bundle, rewritten, bundle.record(), null, List.of(bundle.stateDict(0), weights));
            Path student = dir.resolve("student-1.pt");
            try (var fs = java.nio.file.FileSystems.newFileSystem(rewritten)) {
                Files.copy(fs.getPath("students/student-1.pt"), student);
            }
            Files.copy(honest, changed);
            try (var fs = java.nio.file.FileSystems.newFileSystem(changed)) {
                Files.copy(student, fs.getPath("students/student-1.pt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        JsonNode report = verify(changed, 1, "integrity");
        assertTrue(!passed(report, "integrity"), report::toString);
        assertTrue(report.get("checks").get(0).get("summary").asText().contains("students/student-1.pt differs from"
                + " the manifest"), report::toString);
    }

    @Test
    void otherSeedsFailTheIntegrity() throws IOException {
        assertEquals(2, run("score", "--file", setA.toString(), "--dataset", "fashion-mnist", "--ipc", "1",
                "--method", "Random", "--data", data, "--seed", "3", "--bundle", dir.resolve("x.zip").toString()));
        assertTrue(err().contains("--seed cannot be used with --bundle"), err());
        Path seeded = dir.resolve("seeded.zip");
        try (Bundle bundle = BundleReader.read(honest)) {
            EvaluationRecord record = bundle.record();
            RunSettings s = record.settings();
            assertEquals(OfficialSeeds.of(Sha256.of(setA)).training(), s.seed());
            EvaluationRecord other = new EvaluationRecord(record.schema(), record.schemaVersion(), record.subject(),
                    new RunSettings(s.protocol(), s.protocolVersion(), s.epochs(), s.students(), s.testImages(),
                            s.attacks(), s.modes(), s.epsLinf(), s.epsL2(), s.autoattack(), 3, s.attackSeed(), true,
                            s.differences()), record.testSet(), record.students(), record.metrics(), record.curves(),
                    record.provenance());
            BundleTampering.rewrite(bundle, seeded, other, null, null);
        }
        JsonNode report = verify(seeded, 1, "integrity");
        assertTrue(report.get("checks").get(0).get("summary").asText().contains("not the set's official seeds"),
                report::toString);
    }
}
