package dev.bristle.leaderboard;

import dev.bristle.published.PaperValue;
import dev.bristle.published.PublishedResults;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up load: what it writes, and that loading again adds nothing. */
@QuarkusTest
@Tag("database")
class PublishedResultsLoaderTest {

    private static final PublishedResults PUBLISHED = PublishedResults.fromClasspath();

    @Inject
    PublishedResultsLoader loader;

    @Test
    void startUpLoadedEveryPublishedRow() {
        Counts counts = counts();
        assertEquals(PUBLISHED.leaderboard().entries().size(), counts.untargeted);
        assertEquals(66, counts.untargeted, "BEARD's 12 boards have 66 rows");
        assertEquals(expectedTargetedRows(), counts.targeted);
        assertEquals(PUBLISHED.paperTables().values().size(), counts.paperValues);
        assertEquals(PUBLISHED.logs().runs().size(), counts.runs);
        assertEquals(PUBLISHED.logs().runs().stream().mapToInt(r -> r.results().size()).sum(), counts.results);
        assertEquals(3, counts.files, "one checksum per published file");
    }

    @Test
    @Transactional
    void targetedRowsTakeTheirNumbersFromThePaperAndTheirDetailsFromTheUntargetedRow() {
        LeaderboardEntry targeted = LeaderboardEntry.findByNaturalKey("CIFAR-10", "50", "targeted", "BACON",
                EntrySource.PUBLISHED).orElseThrow();
        LeaderboardEntry untargeted = LeaderboardEntry.findByNaturalKey("CIFAR-10", "50", "untargeted", "BACON",
                EntrySource.PUBLISHED).orElseThrow();
        double table2 = PUBLISHED.paperTables().values().stream()
                .filter(v -> v.table() == 2 && v.dataset().equals("CIFAR-10") && v.ipc().equals("50")
                        && v.method().equals("BACON"))
                .findFirst().orElseThrow().value();
        assertEquals(table2, targeted.crei);
        assertNull(targeted.rrm, "no targeted RRM per IPC is published");
        assertNull(targeted.publishedRank);
        assertEquals(untargeted.paperTitle, targeted.paperTitle);
        assertEquals(untargeted.venue, targeted.venue);
        assertEquals(69.95, targeted.cleanAccuracy, 1e-9, "the targeted clean pass of the IPC 50 log");

        LeaderboardEntry unified = LeaderboardEntry.findByNaturalKey("CIFAR-10", "all", "untargeted", "BACON",
                EntrySource.PUBLISHED).orElseThrow();
        double mean = PUBLISHED.logs().runs().stream()
                .filter(r -> r.kind().equals("white-box") && r.method().equals("BACON"))
                .mapToDouble(r -> r.results().stream()
                        .filter(x -> x.attack().equals("Clean") && x.mode().equals("untargeted"))
                        .findFirst().orElseThrow().accuracy())
                .average().orElseThrow();
        assertEquals(mean, unified.cleanAccuracy, 1e-9);
        assertTrue(unified.cleanAccuracyBasis.contains("mean over IPC 1, 10 and 50"));
    }

    @Test
    void loadingAgainAddsNothing() {
        Counts before = counts();
        assertTrue(loader.load().skipped(), "unchanged files are skipped by checksum");
        assertEquals(before, counts());

        forgetChecksums();
        PublishedResultsLoader.LoadSummary summary = loader.load();
        assertFalse(summary.skipped(), "without recorded checksums every row is upserted");
        assertEquals(before, counts(), "upserting by natural key adds no row twice");
        assertEquals(3, counts().files);
    }

    @Transactional
    void forgetChecksums() {
        PublishedFile.deleteAll();
    }

    private static long expectedTargetedRows() {
        List<PaperValue> values = PUBLISHED.paperTables().values();
        return values.stream().filter(v -> v.mode().equals("targeted") && v.metric().equals("CREI")
                        && v.training().equals("standard") && v.value() != null
                        && !v.method().equals(PaperTableValue.FULL_SIZE)
                        && (v.table() == 1 || v.table() == 2 && !v.ipc().equals("all")))
                .count();
    }

    record Counts(long untargeted, long targeted, long paperValues, long runs, long results, long files) {
    }

    @Transactional
    Counts counts() {
        // BEARD's rows and files only: Bristle's own measured records (leaderboards/bristle-measured.json) load
        // beside them at start-up and scoring tests remove measured entries.
        return new Counts(LeaderboardEntry.count("mode = ?1 and source = ?2", "untargeted", EntrySource.PUBLISHED),
                LeaderboardEntry.count("mode = ?1 and source = ?2", "targeted", EntrySource.PUBLISHED),
                PaperTableValue.count(), EvaluationRun.count(), AttackResult.count(),
                PublishedFile.count("name <> ?1", "leaderboards/bristle-measured.json"));
    }
}
