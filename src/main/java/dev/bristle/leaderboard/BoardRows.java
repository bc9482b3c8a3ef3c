package dev.bristle.leaderboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A board's rows: ranked by CREI (ties where intervals overlap), preliminary ones below, with gains over the board's
 * random-subset baseline.
 */
final class BoardRows {

    /**
     * The method name of the random-subset baseline (Bristle's {@code random} distiller): a measured entry of this
     * name is its board's baseline.
     */
    static final String BASELINE_METHOD = "Random";

    private BoardRows() {
    }

    /**
     * The board's random-subset baseline: the measured entry of {@link #BASELINE_METHOD}, its ranked one before a
     * preliminary one.
     */
    static Optional<LeaderboardEntry> baseline(List<LeaderboardEntry> entries) {
        return entries.stream()
                .filter(e -> e.source == EntrySource.MEASURED && BASELINE_METHOD.equalsIgnoreCase(e.method))
                .min(Comparator.comparing((LeaderboardEntry e) -> !e.ranked()));
    }

    /**
     * The ranked rows in the requested order, each ranked by CREI among the ranked rows (highest first, ties sharing
     * a rank), then the preliminary rows in the same order, unranked.
     */
    static List<BoardRow> rows(Dataset dataset, List<LeaderboardEntry> entries, SortColumn sort, SortDirection dir) {
        Comparator<Double> values = dir == SortDirection.DESC ? Comparator.reverseOrder() : Comparator.naturalOrder();
        Comparator<LeaderboardEntry> order = Comparator
                .comparing(sort::read, Comparator.nullsLast(values))
                .thenComparing((LeaderboardEntry e) -> e.crei, Comparator.reverseOrder())
                .thenComparing(e -> e.method);
        List<LeaderboardEntry> ranked = entries.stream().filter(LeaderboardEntry::ranked).toList();
        Set<LeaderboardEntry> tied = tied(ranked);
        LeaderboardEntry baseline = baseline(entries).orElse(null);
        List<BoardRow> rows = new ArrayList<>();
        ranked.stream().sorted(order).forEach(e -> rows.add(row(dataset, e, rankByCrei(ranked, e), tied.contains(e),
                baseline)));
        entries.stream().filter(e -> !e.ranked()).sorted(order)
                .forEach(e -> rows.add(row(dataset, e, null, false, baseline)));
        return rows;
    }

    /** A ranked entry's rank by CREI among the ranked entries of its board. */
    static int rankByCrei(List<LeaderboardEntry> board, LeaderboardEntry entry) {
        return 1 + (int) board.stream().filter(other -> other.ranked() && other.crei > entry.crei).count();
    }

    /** Ranked entries whose CREI interval overlaps that of a neighbour in the CREI order. */
    static Set<LeaderboardEntry> tied(List<LeaderboardEntry> ranked) {
        List<LeaderboardEntry> byCrei = ranked.stream()
                .sorted(Comparator.comparing((LeaderboardEntry e) -> e.crei).reversed()).toList();
        Set<LeaderboardEntry> tied = new HashSet<>();
        for (int i = 0; i + 1 < byCrei.size(); i++) {
            LeaderboardEntry a = byCrei.get(i);
            LeaderboardEntry b = byCrei.get(i + 1);
            if (a.creiLow != null && a.creiHigh != null && b.creiLow != null && b.creiHigh != null
                    && a.creiLow <= b.creiHigh && b.creiLow <= a.creiHigh) {
                tied.add(a);
                tied.add(b);
            }
        }
        return tied;
    }

    private static BoardRow row(Dataset dataset, LeaderboardEntry e, Integer rank, boolean tie,
                                LeaderboardEntry baseline) {
        boolean isBaseline = e == baseline;
        LeaderboardEntry against = isBaseline ? null : baseline;
        return new BoardRow(rank, e.status.key(), differences(e), e.method, Links.entry(dataset, e.method),
                e.paperTitle, e.author, e.venue, e.updated, e.codeAvailable, e.distilledDataAvailable, e.crei,
                e.creiLow, e.creiHigh, tie, e.rrm, e.aem, e.cleanAccuracy, e.cleanAccuracyBasis,
                e.source.name().toLowerCase(Locale.ROOT), e.sourceReference, sourceUrl(e),
                e.publishedRank, isBaseline, e.robustAccuracy,
                gain(e.cleanAccuracy, against == null ? null : against.cleanAccuracy),
                gain(e.robustAccuracy, against == null ? null : against.robustAccuracy), e.verified());
    }

    /** The page of what measured a measured entry: its verified submission, or its scoring job; null for neither. */
    static String sourceUrl(LeaderboardEntry e) {
        return e.submissionId != null ? Links.submission(e.submissionId) : Links.job(e.scoringJobId);
    }

    private static Double gain(Double value, Double baseline) {
        return value == null || baseline == null ? null : value - baseline;
    }

    /** What differs from the official settings, one item each (stored joined by "; "). */
    static List<String> differences(LeaderboardEntry e) {
        return e.statusReasons == null || e.statusReasons.isBlank() ? List.of()
                : List.of(e.statusReasons.split("; "));
    }
}
