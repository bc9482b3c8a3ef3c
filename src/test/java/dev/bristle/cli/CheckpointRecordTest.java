package dev.bristle.cli;

import dev.bristle.leaderboard.EntrySource;
import dev.bristle.leaderboard.LeaderboardEntry;
import dev.bristle.leaderboard.PublishedFile;
import dev.bristle.ml.SharedData;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecords;
import dev.bristle.ml.record.RecordFile;
import dev.bristle.scoring.RecordedResultsLoader;
import dev.bristle.scoring.ScoringTestState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22: a published checkpoint evaluated with {@code ./bristle evaluate --record} (BEARD's BACON student, the
 * first 64 exact CIFAR-10 test images, FGSM untargeted in the sound protocol) is a preliminary entry of its method
 * on the CIFAR-10 IPC-50 sound board, with its differences, beside a recorded random-subset baseline and its gain
 * over it.
 */
@QuarkusTest
@Tag("database")
class CheckpointRecordTest extends CommandLineHarness {

    private static final String STUDENT = "BACON_ConvNet_CIFAR10_50_None_0.6995.pth";
    private static final String STUDENT_SHA256 = "e6ede31abd77db0b47fd425dacc5a9d86ded4aa5f095bd498371337cd232e6f1";
    private static final String RECORDS = "checkpoint-record-test.json";

    @Inject
    RecordedResultsLoader loader;

    private static String model() {
        return SharedData.path("beard/model-pool/" + STUDENT).toString();
    }

    private static String data() {
        return SharedData.path("data/cifar-10-partial-official/test_first932.bin").toString();
    }

    @AfterEach
    void removeTheTestsEntries() {
        QuarkusTransaction.requiringNew().run(() -> {
            LeaderboardEntry.delete("source = ?1 and dataset = 'CIFAR-10' and ipc = '50' and method in ('BACON',"
                    + " 'Random') and scoringJobId is null", EntrySource.MEASURED);
            PublishedFile.delete("name", RECORDS);
        });
        // Bristle's own records come back where the test's took their rows.
        ScoringTestState.removeWhatJobsMade();
    }

    @Test
    void aRecordedCheckpointIsAPreliminaryEntryBesideTheRandomBaseline(@TempDir Path tmp) throws Exception {
        Path records = tmp.resolve("records.json");
        Path json = tmp.resolve("result.json");
        assertEquals(0, run("evaluate", "--model", model(), "--data", data(), "--limit", "64", "--protocol", "sound",
                "--attacks", "FGSM", "--modes", "untargeted", "--grid", "none", "--json", json.toString(),
                "--record", records.toString()), err());
        assertTrue(out().contains("recorded in " + records), out());

        EvaluationRecord record;
        try (InputStream in = Files.newInputStream(records)) {
            record = RecordFile.read(in).records().get(0);
        }
        assertEquals("BACON", record.subject().method());
        assertEquals("CIFAR-10", record.subject().datasetName());
        assertEquals("cifar10", record.subject().dataset());
        assertEquals(50, record.subject().ipc());
        assertEquals("sound", record.settings().protocol());
        assertEquals(1, record.settings().protocolVersion());
        assertEquals(new EvaluationRecord.Checkpoint(STUDENT, STUDENT_SHA256,
                "BEARD model pool, https://github.com/zhouzhengqd/BEARD at commit 1e70313"), record.subject().checkpoint());
        assertNull(record.subject().set());
        assertNull(record.settings().epochs(), "the checkpoint was not trained here");
        assertEquals(1, record.settings().students());
        assertEquals(List.of("FGSM"), record.settings().attacks());
        assertEquals("CIFAR-10 test images from test_first932.bin (the first 932 official CIFAR-10 test images,"
                + " exact), first 64 of 932 images", record.testSet().description());
        assertNull(record.testSet().copy());
        assertEquals(64, record.testSet().images());
        assertEquals(10_000, record.testSet().splitSize());
        assertTrue(record.provenance().command().startsWith("./bristle evaluate --model "),
                record.provenance().command());
        assertTrue(EvaluationRecords.isCompact(record), "the record file keeps no per-image data");

        // The board's numbers are those of the run's own full record (--json), which keeps every image's outcome.
        EvaluationRecord full;
        try (InputStream in = Files.newInputStream(json)) {
            full = EvaluationRecords.read(in);
        }
        assertEquals(EvaluationRecords.compact(full).metrics(), record.metrics());
        EvaluationRecord.StudentOutcome student = full.students().get(0);
        assertEquals(64, student.cleanPredictions().length);
        EvaluationRecord.PerImage fgsm = student.attacks().get(0).perImage();
        assertEquals(64, fgsm.correct().length());
        assertEquals(student.attacks().get(0).accuracy(), 100.0 * fgsm.correct().chars().filter(c -> c == '1')
                .count() / 64, 1e-9);
        assertNotNull(full.provenance().threads(), "the engine's threads are recorded");
        EvaluationRecord.ModeMetrics numbers = record.metrics().get("untargeted");
        assertEquals(full.students().get(0).cleanAccuracy(), record.students().get(0).cleanAccuracy(), 1e-9);
        assertTrue(numbers.creiInterval().low() <= numbers.crei() && numbers.crei() <= numbers.creiInterval().high());

        // A random-subset baseline recorded for the same board, as score --record writes one.
        RecordFile.upsert(records, baseline(), "ignored");
        List<String> published = loader.load(RECORDS, Files.readAllBytes(records));
        assertEquals(2, published.size(), published.toString());

        JsonPath board = given().get("/api/boards/cifar-10/50?protocol=sound").then().statusCode(200).extract()
                .jsonPath();
        assertEquals("Random", board.getString("baseline.method"));
        Map<String, Object> bacon = board.getMap("rows.find { it.method == 'BACON' }");
        assertEquals("preliminary", bacon.get("status"));
        assertEquals(List.of("a published checkpoint, trained elsewhere", "1 of 5 students", "64 of 10,000 images",
                "1 of 9 attacks (without PGD, PGD_L2, CW, DeepFool, AutoAttack, Square, SPSA, Noise)",
                "untargeted only"), bacon.get("differences"));
        assertEquals(numbers.crei(), ((Number) bacon.get("crei")).doubleValue(), 1e-9);
        assertEquals(record.students().get(0).cleanAccuracy() - 40.0, ((Number) bacon.get("cleanGain")).doubleValue(), 1e-9);
        assertEquals(numbers.robustAccuracy() - 10.0, ((Number) bacon.get("robustGain")).doubleValue(), 1e-9);
        Map<String, Object> random = board.getMap("rows.find { it.method == 'Random' }");
        assertEquals(true, random.get("baseline"));
        assertNull(random.get("cleanGain"));

        // The entry's page says what it is: a published checkpoint, evaluated by Bristle.
        JsonPath entry = given().get("/api/entries/cifar-10/BACON").then().statusCode(200).extract().jsonPath();
        String reference = entry.getString("boards.find { it.protocol == 'sound' && it.source == 'measured' }"
                + ".sourceReference");
        assertTrue(reference.startsWith("published checkpoint " + STUDENT + " evaluated by Bristle"), reference);
        String page = given().get("/entries/cifar-10/BACON").then().statusCode(200).extract().asString();
        assertTrue(page.contains("published checkpoint " + STUDENT + " evaluated by Bristle"), page);
        assertFalse(page.contains(SharedData.path("").toString()), "no server path on the page");
    }

    @Test
    void aRecordNeedsAttacksAtTheRecordedBudgetsOnAKnownBoard(@TempDir Path tmp) throws Exception {
        Path records = tmp.resolve("records.json");
        Path renamed = Files.copy(Path.of(model()), tmp.resolve("student.pth"));
        List<List<String>> cases = List.of(
                List.of("--model", model(), "--data", data(), "--record", records.toString()),
                List.of("--model", model(), "--data", data(), "--attacks", "FGSM", "--eps", "2/255", "--record",
                        records.toString()),
                List.of("--model", renamed.toString(), "--data", data(), "--attacks", "FGSM", "--record",
                        records.toString()),
                List.of("--model", model(), "--data", data(), "--attacks", "FGSM", "--dataset", "CIFAR-100",
                        "--record", records.toString()));
        List<String> messages = List.of("--record needs --attacks", "measured at its recorded budgets",
                "--record needs --method and --ipc: student.pth is not named as a BEARD student",
                "classifies 10 classes, not CIFAR-100's");
        for (int i = 0; i < cases.size(); i++) {
            List<String> args = new java.util.ArrayList<>(List.of("evaluate"));
            args.addAll(cases.get(i));
            assertEquals(2, run(args.toArray(String[]::new)), String.join(" ", args));
            assertTrue(err().contains(messages.get(i)), err());
        }
        assertFalse(Files.exists(records), "nothing recorded");
    }

    /** Random's record on the same board: 40 % clean, 10 % robust, CREI 30. */
    private static EvaluationRecord baseline() {
        return new EvaluationRecord(EvaluationRecords.SCHEMA, EvaluationRecords.VERSION,
                new EvaluationRecord.Subject("cifar10", "CIFAR-10", 50, "Random", "standard", "standard training",
                        new EvaluationRecord.SetFile("random-50.npz", null, null), null),
                new EvaluationRecord.RunSettings("sound", 1, 300, 1, 64, List.of("FGSM"), List.of("untargeted"),
                        1 / 255.0, 0.25, null, 0, 0, false, List.of()),
                new EvaluationRecord.TestSetInfo("CIFAR-10 test split, first 64 images", null, 64, 10_000, null),
                List.of(new EvaluationRecord.StudentOutcome(0, 1, 40.0, null, null, List.of(), List.of())),
                Map.of("untargeted", new EvaluationRecord.ModeMetrics(20.0, 50.0, 30.0, null, null,
                        new EvaluationRecord.Interval(28, 32), 10.0, "model-passes", Map.of())), List.of(),
                new EvaluationRecord.RunProvenance(null, null, null, null, null, null, "./bristle score ...", null,
                        "2026-12-06T18:00:00Z", 60));
    }
}
