package dev.bristle.leaderboard;

import dev.bristle.ml.metrics.AttackMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The leaderboards as pages and the API show them. */
@ApplicationScoped
public class LeaderboardService {

    /** How many entries a board's card on the home page lists. */
    static final int TOP_ENTRIES = 3;

    @Transactional
    public HomeView home(AttackMode mode) {
        Map<String, List<LeaderboardEntry>> byBoard = LeaderboardEntry.inMode(mode.key()).stream()
                .collect(Collectors.groupingBy(e -> e.dataset + "|" + e.ipc));
        List<HomeView.DatasetBoards> datasets = new ArrayList<>();
        for (Dataset dataset : Dataset.values()) {
            List<HomeView.BoardCard> cards = new ArrayList<>();
            for (Ipc ipc : Ipc.values()) {
                List<LeaderboardEntry> entries = byBoard.getOrDefault(dataset.label() + "|" + ipc.key(), List.of());
                List<BoardRow> top = ranked(dataset, entries, SortColumn.CREI, SortDirection.DESC).stream()
                        .limit(TOP_ENTRIES).toList();
                String url = Links.board(dataset, ipc, mode);
                cards.add(new HomeView.BoardCard(dataset.label(), ipc.key(), ipc.label(), url, Links.api(url),
                        entries.size(), top));
            }
            datasets.add(new HomeView.DatasetBoards(dataset.label(), dataset.slug(), cards));
        }
        return new HomeView(mode.key(), modeLinks(mode, Links::home), datasets);
    }

    @Transactional
    public BoardView board(Dataset dataset, Ipc ipc, AttackMode mode, SortColumn sort, SortDirection dir) {
        List<LeaderboardEntry> entries = LeaderboardEntry.board(dataset.label(), ipc.key(), mode.key());
        List<BoardView.ColumnHeader> columns = Arrays.stream(SortColumn.values()).map(column -> {
            boolean active = column == sort;
            SortDirection next = active ? dir.flip() : SortDirection.DESC;
            String ariaSort = !active ? "none" : dir == SortDirection.ASC ? "ascending" : "descending";
            return new BoardView.ColumnHeader(column.key(), column.label(),
                    Links.board(dataset, ipc, mode, column, next), active, ariaSort);
        }).toList();
        return new BoardView(dataset.label(), dataset.slug(), ipc.key(), ipc.label(), mode.key(), sort.key(),
                dir.key(), Links.board(dataset, ipc, mode, sort, dir),
                modeLinks(mode, m -> Links.board(dataset, ipc, m, sort, dir)),
                Arrays.stream(Ipc.values()).map(i -> new NavLink(i.key(), i.label(),
                        Links.board(dataset, i, mode, sort, dir), i == ipc)).toList(),
                columns,
                ranked(dataset, entries, sort, dir), fullSize(dataset, ipc, mode), notes(dataset, ipc, mode));
    }

    /** Rows in the requested order, each ranked by CREI (highest first, ties sharing a rank). */
    static List<BoardRow> ranked(Dataset dataset, List<LeaderboardEntry> entries, SortColumn sort,
                                 SortDirection dir) {
        Comparator<Double> values = dir == SortDirection.DESC ? Comparator.reverseOrder() : Comparator.naturalOrder();
        Comparator<LeaderboardEntry> order = Comparator
                .comparing(sort::read, Comparator.nullsLast(values))
                .thenComparing((LeaderboardEntry e) -> e.crei, Comparator.reverseOrder())
                .thenComparing(e -> e.method);
        return entries.stream().sorted(order).map(e -> row(dataset, e, rankByCrei(entries, e))).toList();
    }

    static int rankByCrei(List<LeaderboardEntry> board, LeaderboardEntry entry) {
        return 1 + (int) board.stream().filter(other -> other.crei > entry.crei).count();
    }

    private static BoardRow row(Dataset dataset, LeaderboardEntry e, int rank) {
        return new BoardRow(rank, e.method, Links.entry(dataset, e.method), e.paperTitle, e.author, e.venue,
                e.updated, e.codeAvailable, e.distilledDataAvailable, e.crei, e.rrm, e.aem, e.cleanAccuracy,
                e.cleanAccuracyBasis, e.source.name().toLowerCase(Locale.ROOT), e.sourceReference,
                Links.job(e.scoringJobId), e.publishedRank);
    }

    static List<NavLink> modeLinks(AttackMode current, Function<AttackMode, String> url) {
        return List.of(AttackMode.UNTARGETED, AttackMode.TARGETED).stream()
                .map(m -> new NavLink(m.key(), m == AttackMode.UNTARGETED ? "Untargeted" : "Targeted",
                        url.apply(m), m == current))
                .toList();
    }

    /**
     * The paper's Full-size student: Table 1 has RRM, AEM and CREI of the unified setting; Tables 2 (targeted) and
     * 3 (untargeted) give its CREI once, since a whole training set has no IPC.
     */
    private static BoardView.FullSizeReference fullSize(Dataset dataset, Ipc ipc, AttackMode mode) {
        int table = ipc == Ipc.ALL ? 1 : mode == AttackMode.TARGETED ? 2 : 3;
        List<PaperTableValue> values = PaperTableValue.fullSize(dataset.label(), mode.key()).stream()
                .filter(v -> v.tableNumber == table).toList();
        if (values.isEmpty()) {
            return null;
        }
        Map<String, PaperTableValue> byMetric = values.stream()
                .collect(Collectors.toMap(v -> v.metric, v -> v, (a, b) -> a));
        List<String> notes = values.stream().filter(v -> v.note != null)
                .map(v -> v.metric + ": " + v.note).toList();
        String scope = ipc == Ipc.ALL ? "unified setting" : "no IPC: the paper reports it once for all IPCs";
        return new BoardView.FullSizeReference("paper Table " + table, scope, valueOf(byMetric, "CREI"),
                valueOf(byMetric, "RRM"), valueOf(byMetric, "AEM"), notes);
    }

    private static Double valueOf(Map<String, PaperTableValue> byMetric, String metric) {
        PaperTableValue v = byMetric.get(metric);
        return v == null ? null : v.value;
    }

    private static List<String> notes(Dataset dataset, Ipc ipc, AttackMode mode) {
        List<String> notes = new ArrayList<>();
        if (mode == AttackMode.UNTARGETED) {
            notes.add("Published numbers: BEARD's leaderboard (untargeted attacks).");
        } else if (ipc == Ipc.ALL) {
            notes.add("Published numbers: the BEARD paper's Table 1 (targeted attacks, unified); paper, venue and"
                    + " flags as on the method's untargeted row.");
        } else {
            notes.add("Published numbers: the BEARD paper's Table 2 (targeted CREI per IPC); paper, venue and"
                    + " flags as on the method's untargeted row.");
            notes.add("BEARD publishes no targeted RRM or AEM per IPC, only CREI: those columns stay empty.");
        }
        if (mode == AttackMode.TARGETED) {
            int table = ipc == Ipc.ALL ? 1 : 2;
            List<String> missing = PaperTableValue.unprintedCrei(table, mode.key(), dataset.label(), ipc.key());
            if (!missing.isEmpty()) {
                notes.add("The paper prints no value (\"/\") for " + String.join(", ", missing)
                        + " here; they are left out.");
            }
        }
        return notes;
    }
}
