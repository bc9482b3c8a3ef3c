package dev.bristle.leaderboard;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a board orders and ranks its rows: ranked by CREI among the ranked rows only, preliminary ones after them. */
class BoardRankingTest {

    @Test
    void preliminaryRowsFollowTheRankedOnesUnrankedWhateverTheirCrei() {
        List<LeaderboardEntry> board = List.of(entry("A", 30, EntryStatus.RANKED), entry("B", 42, EntryStatus.PRELIMINARY),
                entry("C", 35, EntryStatus.RANKED), entry("D", 10, EntryStatus.PRELIMINARY));
        List<BoardRow> rows = BoardRows.rows(Dataset.CIFAR_10, board, SortColumn.CREI, SortDirection.DESC);
        assertEquals(List.of("C", "A", "B", "D"), rows.stream().map(BoardRow::method).toList());
        assertEquals(1, rows.get(0).rank());
        assertEquals(2, rows.get(1).rank(), "B's higher CREI does not push A down: B is not ranked");
        assertNull(rows.get(2).rank());
        assertEquals("preliminary", rows.get(2).status());
        assertEquals(List.of("1 of 5 students", "20 of 1,000 epochs"), rows.get(2).differences());
        // Sorted the other way, the ranked rows still come first.
        List<BoardRow> ascending = BoardRows.rows(Dataset.CIFAR_10, board, SortColumn.CREI,
                SortDirection.ASC);
        assertEquals(List.of("A", "C", "D", "B"), ascending.stream().map(BoardRow::method).toList());
    }

    @Test
    void neighboursWithOverlappingIntervalsAreTiedOthersAreNot() {
        LeaderboardEntry a = interval(entry("A", 40, EntryStatus.RANKED), 38, 42);
        LeaderboardEntry b = interval(entry("B", 37, EntryStatus.RANKED), 35, 38.5);
        LeaderboardEntry c = interval(entry("C", 30, EntryStatus.RANKED), 29, 31);
        LeaderboardEntry published = entry("P", 20, EntryStatus.RANKED);
        List<BoardRow> rows = BoardRows.rows(Dataset.CIFAR_10, List.of(a, b, c, published), SortColumn.CREI,
                SortDirection.DESC);
        assertTrue(rows.get(0).tie() && rows.get(1).tie(), "A [38, 42] and B [35, 38.5] overlap");
        assertFalse(rows.get(2).tie(), "C [29, 31] overlaps neither neighbour");
        assertFalse(rows.get(3).tie(), "a published entry has no interval");
    }

    @Test
    void everyRowShowsItsGainOverTheRandomBaselineWhichIsMarked() {
        LeaderboardEntry random = accuracies(entry("Random", 20, EntryStatus.PRELIMINARY), 60.0, 10.0);
        LeaderboardEntry dm = accuracies(entry("DM", 25, EntryStatus.PRELIMINARY), 65.5, 9.0);
        LeaderboardEntry published = entry("P", 30, EntryStatus.RANKED);
        List<BoardRow> rows = BoardRows.rows(Dataset.FASHION_MNIST, List.of(random, dm, published),
                SortColumn.CREI, SortDirection.DESC);
        BoardRow baseline = rows.stream().filter(BoardRow::baseline).findFirst().orElseThrow();
        assertEquals("Random", baseline.method());
        assertNull(baseline.cleanGain(), "the baseline has no gain over itself");
        BoardRow dmRow = rows.stream().filter(r -> r.method().equals("DM")).findFirst().orElseThrow();
        assertFalse(dmRow.baseline());
        assertEquals(5.5, dmRow.cleanGain(), 1e-9);
        assertEquals(-1.0, dmRow.robustGain(), 1e-9);
        published.cleanAccuracy = 58.0;
        BoardRow publishedRow = BoardRows.rows(Dataset.FASHION_MNIST, List.of(random, dm, published),
                SortColumn.CREI, SortDirection.DESC).get(0);
        assertEquals(-2.0, publishedRow.cleanGain(), 1e-9);
        assertNull(publishedRow.robustGain(), "no robust accuracy is published, so no robust gain");
        // Without a measured random subset, no row has a gain.
        assertTrue(BoardRows.rows(Dataset.FASHION_MNIST, List.of(dm), SortColumn.CREI, SortDirection.DESC)
                .stream().allMatch(r -> r.cleanGain() == null && !r.baseline()));
    }

    private static LeaderboardEntry accuracies(LeaderboardEntry e, double clean, double robust) {
        e.cleanAccuracy = clean;
        e.robustAccuracy = robust;
        return e;
    }

    private static LeaderboardEntry entry(String method, double crei, EntryStatus status) {
        LeaderboardEntry e = new LeaderboardEntry();
        e.dataset = "CIFAR-10";
        e.ipc = "1";
        e.mode = "untargeted";
        e.method = method;
        e.crei = crei;
        e.status = status;
        e.source = status == EntryStatus.RANKED ? EntrySource.PUBLISHED : EntrySource.MEASURED;
        e.statusReasons = status == EntryStatus.RANKED ? null : "1 of 5 students; 20 of 1,000 epochs";
        return e;
    }

    private static LeaderboardEntry interval(LeaderboardEntry e, double low, double high) {
        e.creiLow = low;
        e.creiHigh = high;
        e.source = EntrySource.MEASURED;
        return e;
    }
}
