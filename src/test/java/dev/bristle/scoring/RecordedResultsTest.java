package dev.bristle.scoring;

import dev.bristle.leaderboard.EntryStatus;
import dev.bristle.leaderboard.MeasuredRun;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.score.MeasuredRecord;
import dev.bristle.ml.train.TrainingRecipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        MeasuredRecord.upsert(file, record("DM", "pgd-at", 1, 51.0), "test records");
        MeasuredRecord.upsert(file, record("Random", "pgd-at", 1, 40.0), "ignored: the file has its description");
        MeasuredRecord.upsert(file, record("DM", "pgd-at", 1, 55.0), "ignored");
        MeasuredRecord.RecordFile read;
        try (InputStream in = Files.newInputStream(file)) {
            read = MeasuredRecord.read(in);
        }
        assertEquals("test records", read.description());
        assertEquals(List.of("DM", "Random"), read.records().stream().map(MeasuredRecord::method).toList());
        assertEquals(55.0, read.records().get(0).cleanAccuracy());

        MeasuredRun run = RecordedResultsLoader.run(read.records().get(0));
        assertEquals(EntryStatus.PRELIMINARY, run.status());
        assertEquals(List.of("1 of 5 students", "100 of 1,000 epochs", "1,000 of 10,000 images",
                "3 of 9 attacks (without CW, DeepFool, AutoAttack, Square, SPSA, Noise)", "untargeted only"),
                run.differences());
        assertEquals(TrainingRecipe.Kind.PGD_AT, run.recipe());
        assertNull(run.jobId());
        assertEquals(30.5, run.robustAccuracy().get(AttackMode.UNTARGETED));
        assertEquals(42.0, run.metrics().get(AttackMode.UNTARGETED).crei());
        assertTrue(run.reference().startsWith("leaderboards/bristle-measured.json"), run.reference());
        assertTrue(run.submitter().maintainer(), "Bristle's own entries need no review");

        MeasuredRecord official = record("DM", "standard", 5, 60.0);
        official = new MeasuredRecord(official.dataset(), official.ipc(), official.method(), official.protocol(),
                official.recipe(), official.recipeDetails(), new MeasuredRecord.Settings(1000, 5, 0,
                dev.bristle.ml.attack.AttackLibrary.NAMES, List.of("targeted", "untargeted")), official.testSet(),
                null, 10_000, 10_000, 60.0, official.modes(), null, null, official.command(), official.measuredAt(), 1);
        assertEquals(EntryStatus.RANKED, RecordedResultsLoader.run(official).status());
    }

    private static MeasuredRecord record(String method, String recipe, int students, double clean) {
        return new MeasuredRecord("Fashion-MNIST", 10, method, "sound", recipe, recipe, new MeasuredRecord.Settings(100,
                students, 0, List.of("FGSM", "PGD", "PGD_L2"), List.of("untargeted")), "first 1000", null, 1000,
                10_000, clean, Map.of("untargeted", new MeasuredRecord.ModeNumbers(42.0, 40.0, 44.0, 50.0, 34.0,
                30.5)), null, null, "./bristle score ...", "2026-11-30T08:00:00Z", 60);
    }
}
