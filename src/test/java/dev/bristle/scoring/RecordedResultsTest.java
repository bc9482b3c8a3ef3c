package dev.bristle.scoring;

import dev.bristle.leaderboard.EntryStatus;
import dev.bristle.leaderboard.MeasuredRun;
import dev.bristle.ml.attack.AttackLibrary;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecord.Interval;
import dev.bristle.ml.record.EvaluationRecord.ModeMetrics;
import dev.bristle.ml.record.EvaluationRecord.RunProvenance;
import dev.bristle.ml.record.EvaluationRecord.RunSettings;
import dev.bristle.ml.record.EvaluationRecord.SetFile;
import dev.bristle.ml.record.EvaluationRecord.StudentOutcome;
import dev.bristle.ml.record.EvaluationRecord.Subject;
import dev.bristle.ml.record.EvaluationRecord.TestSetInfo;
import dev.bristle.ml.record.EvaluationRecords;
import dev.bristle.ml.record.RecordFile;
import dev.bristle.ml.train.TrainingRecipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bristle's recorded runs (./bristle score --record): a later run of the same board and method replaces the earlier
 * record, and a record is ranked or preliminary by the rule a job's run is.
 */
class RecordedResultsTest {

    @Test
    void aRecordIsPreliminaryWithWhatDiffersAndALaterRunReplacesIt(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("records.json");
        RecordFile.upsert(file, record("DM", "pgd-at", 1, 51.0, 100, List.of("FGSM", "PGD", "PGD_L2"),
                List.of("untargeted"), 1000), "test records");
        RecordFile.upsert(file, record("Random", "pgd-at", 1, 40.0, 100, List.of("FGSM", "PGD", "PGD_L2"),
                List.of("untargeted"), 1000), "ignored: the file has its description");
        RecordFile.upsert(file, record("DM", "pgd-at", 1, 55.0, 100, List.of("FGSM", "PGD", "PGD_L2"),
                List.of("untargeted"), 1000), "ignored");
        RecordFile read;
        try (InputStream in = Files.newInputStream(file)) {
            read = RecordFile.read(in);
        }
        assertEquals("test records", read.description());
        assertEquals(List.of("DM", "Random"), read.records().stream().map(r -> r.subject().method()).toList());
        assertEquals(55.0, read.records().get(0).students().get(0).cleanAccuracy());

        MeasuredRun run = RecordedResultsLoader.run(read.records().get(0));
        assertEquals(EntryStatus.PRELIMINARY, run.status());
        assertEquals(List.of("1 of 5 students", "100 of 1,000 epochs", "1,000 of 10,000 images",
                "3 of 9 attacks (without CW, DeepFool, AutoAttack, Square, SPSA, Noise)", "untargeted only"),
                run.differences());
        assertEquals(TrainingRecipe.Kind.PGD_AT, run.recipe());
        assertNull(run.jobId());
        assertEquals(55.0, run.meanCleanAccuracy());
        assertEquals(30.5, run.robustAccuracy().get(AttackMode.UNTARGETED));
        assertEquals(42.0, run.metrics().get(AttackMode.UNTARGETED).crei());
        assertTrue(run.reference().startsWith("leaderboards/bristle-measured.json"), run.reference());
        assertTrue(run.submitter().maintainer(), "Bristle's own entries need no review");

        EvaluationRecord official = record("DM", "standard", 5, 60.0, 1000, AttackLibrary.NAMES,
                List.of("targeted", "untargeted"), 10_000);
        assertEquals(EntryStatus.RANKED, RecordedResultsLoader.run(official).status());
    }

    /** The committed board file: every record reads, is compact, and says what differs as the app judges it. */
    @Test
    void theBoardFileHoldsCompactRecordsWhoseDifferencesAreTheAppsOwn() throws Exception {
        RecordFile file;
        try (InputStream in = Files.newInputStream(Path.of(RecordedResultsLoader.FILE))) {
            file = RecordFile.read(in);
        }
        assertFalse(file.records().isEmpty());
        for (EvaluationRecord record : file.records()) {
            assertTrue(EvaluationRecords.isCompact(record), RecordFile.key(record));
            assertEquals(RecordedResultsLoader.run(record).differences(), record.settings().differences(),
                    RecordFile.key(record));
        }
    }

    private static EvaluationRecord record(String method, String recipe, int students, double clean, int epochs,
                                           List<String> attacks, List<String> modes, int images) {
        return new EvaluationRecord(EvaluationRecords.SCHEMA, EvaluationRecords.VERSION,
                new Subject("fashion-mnist", "Fashion-MNIST", 10, method, recipe, recipe,
                        new SetFile("set.npz", null, null), null),
                new RunSettings("sound", 1, epochs, students, images < 10_000 ? images : null, attacks, modes, 0.1,
                        0.8, null, 0, 0, false, List.of()),
                new TestSetInfo("first " + images, null, images, 10_000, null),
                IntStream.range(0, students).mapToObj(i -> new StudentOutcome(i, i, clean, null, null, List.of(),
                        List.of())).toList(),
                Map.of("untargeted", new ModeMetrics(50.0, 34.0, 42.0, null, null, new Interval(40, 44), 30.5,
                        "model-passes", Map.of())), List.of(),
                new RunProvenance(null, null, null, null, null, null, "./bristle score ...", null,
                        "2026-11-30T08:00:00Z", 60));
    }
}
