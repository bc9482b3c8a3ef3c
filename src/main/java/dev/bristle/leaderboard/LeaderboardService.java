package dev.bristle.leaderboard;

import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.train.TrainingRecipe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The leaderboards as pages and the API show them. */
@ApplicationScoped
public class LeaderboardService {

    /** How many entries a board's card on the home page lists: its best ranked ones, then its best preliminary ones. */
    static final int TOP_ENTRIES = 3;

    /** The boards of standard training (adversarially trained entries have their own, reached from each board). */
    @Transactional
    public HomeView home(AttackMode mode, AttackProtocol protocol) {
        TrainingRecipe.Kind recipe = TrainingRecipe.Kind.STANDARD;
        Map<String, List<LeaderboardEntry>> byBoard = LeaderboardEntry.inMode(mode.key(), protocol, recipe).stream()
                .collect(Collectors.groupingBy(e -> e.dataset + "|" + e.ipc));
        List<HomeView.DatasetBoards> datasets = new ArrayList<>();
        for (Dataset dataset : Dataset.values()) {
            if (!dataset.hasBoardsIn(protocol)) continue;
            List<HomeView.BoardCard> cards = new ArrayList<>();
            for (Ipc ipc : Ipc.values()) {
                List<LeaderboardEntry> entries = byBoard.getOrDefault(dataset.label() + "|" + ipc.key(), List.of());
                List<BoardRow> rows = BoardRows.rows(dataset, entries, SortColumn.CREI, SortDirection.DESC);
                List<BoardRow> top = rows.stream().filter(r -> !r.preliminary()).limit(TOP_ENTRIES).toList();
                List<BoardRow> topPreliminary = rows.stream().filter(BoardRow::preliminary)
                        .limit(TOP_ENTRIES - top.size()).toList();
                int preliminary = (int) entries.stream().filter(e -> !e.ranked()).count();
                String url = Links.board(dataset, ipc, mode, protocol, recipe);
                cards.add(new HomeView.BoardCard(dataset.label(), ipc.key(), ipc.label(), url, Links.api(url),
                        entries.size(), entries.size() - preliminary, preliminary, top, topPreliminary));
            }
            datasets.add(new HomeView.DatasetBoards(dataset.label(), dataset.slug(), cards));
        }
        return new HomeView(mode.key(), protocol.key(), protocolLabel(protocol),
                modeLinks(mode, m -> Links.home(m, protocol)), protocolLinks(protocol, p -> Links.home(mode, p)),
                datasets);
    }

    /**
     * One board: dataset x IPC x mode x protocol x training recipe.
     *
     * @throws InvalidInputException when the dataset has no boards in {@code protocol}
     */
    @Transactional
    public BoardView board(Dataset dataset, Ipc ipc, AttackMode mode, AttackProtocol protocol,
                           TrainingRecipe.Kind recipe, SortColumn sort, SortDirection dir) {
        if (!dataset.hasBoardsIn(protocol)) {
            throw new InvalidInputException(dataset.label() + " has boards in the sound protocol only: BEARD never"
                    + " measured it");
        }
        List<LeaderboardEntry> entries = LeaderboardEntry.board(dataset.label(), ipc.key(), mode.key(), protocol,
                recipe);
        List<BoardView.ColumnHeader> columns = Arrays.stream(SortColumn.values()).map(column -> {
            boolean active = column == sort;
            SortDirection next = active ? dir.flip() : SortDirection.DESC;
            String ariaSort = !active ? "none" : dir == SortDirection.ASC ? "ascending" : "descending";
            return new BoardView.ColumnHeader(column.key(), column.label(),
                    Links.board(dataset, ipc, mode, protocol, recipe, column, next), active, ariaSort);
        }).toList();
        Optional<LeaderboardEntry> baseline = BoardRows.baseline(entries);
        return new BoardView(dataset.label(), dataset.slug(), ipc.key(), ipc.label(), mode.key(), protocol.key(),
                protocolLabel(protocol), recipe.key(), recipeLabel(recipe), sort.key(), dir.key(),
                Links.board(dataset, ipc, mode, protocol, recipe, sort, dir),
                modeLinks(mode, m -> Links.board(dataset, ipc, m, protocol, recipe, sort, dir)),
                protocolLinks(dataset, protocol, p -> Links.board(dataset, ipc, mode, p, recipe, sort, dir)),
                Arrays.stream(TrainingRecipe.Kind.values()).map(r -> new NavLink(r.key(), recipeLabel(r),
                        Links.board(dataset, ipc, mode, protocol, r, sort, dir), r == recipe)).toList(),
                Arrays.stream(Ipc.values()).map(i -> new NavLink(i.key(), i.label(),
                        Links.board(dataset, i, mode, protocol, recipe, sort, dir), i == ipc)).toList(),
                columns, BoardRows.rows(dataset, entries, sort, dir),
                protocol == AttackProtocol.BEARD && recipe == TrainingRecipe.Kind.STANDARD
                        ? BoardNotes.fullSize(dataset, ipc, mode) : null,
                baseline.map(b -> new BoardView.Baseline(b.method, b.status.key(), b.cleanAccuracy, b.robustAccuracy,
                        b.crei, Links.entry(dataset, b.method))).orElse(null),
                recipe == TrainingRecipe.Kind.PGD_AT ? BoardNotes.table4(dataset, mode) : List.of(),
                BoardNotes.notes(dataset, ipc, mode, protocol, recipe, baseline.isPresent()));
    }

    static String recipeLabel(TrainingRecipe.Kind recipe) {
        return recipe == TrainingRecipe.Kind.STANDARD ? "Standard training" : "Adversarial training (PGD-AT)";
    }

    /** The boards' revision, raised by every change to their entries (the pages' ETags carry it). */
    @Transactional
    public long revision() {
        return BoardRevision.current();
    }

    /** The entries scoring job {@code jobId} put on the boards: their pages, labelled by board. */
    @Transactional
    public List<NavLink> entriesOf(long jobId) {
        return LeaderboardEntry.ofJob(jobId).stream().flatMap(e -> Dataset.fromLabel(e.dataset).stream()
                .map(d -> new NavLink(e.mode, e.method + " on the " + d.label() + " IPC " + e.ipc + " board, " + e.mode
                        + ", " + e.protocol.key() + " protocol", Links.entry(d, e.method), false))).toList();
    }

    static String protocolLabel(AttackProtocol protocol) {
        return protocol == AttackProtocol.BEARD ? "BEARD's protocol" : "Sound protocol";
    }

    static List<NavLink> protocolLinks(AttackProtocol current, Function<AttackProtocol, String> url) {
        return Arrays.stream(AttackProtocol.values())
                .map(p -> new NavLink(p.key(), protocolLabel(p), url.apply(p), p == current)).toList();
    }

    /** The protocols {@code dataset} has boards in. */
    static List<NavLink> protocolLinks(Dataset dataset, AttackProtocol current,
                                       Function<AttackProtocol, String> url) {
        return Arrays.stream(AttackProtocol.values()).filter(dataset::hasBoardsIn)
                .map(p -> new NavLink(p.key(), protocolLabel(p), url.apply(p), p == current)).toList();
    }

    static List<NavLink> modeLinks(AttackMode current, Function<AttackMode, String> url) {
        return List.of(AttackMode.UNTARGETED, AttackMode.TARGETED).stream()
                .map(m -> new NavLink(m.key(), m == AttackMode.UNTARGETED ? "Untargeted" : "Targeted",
                        url.apply(m), m == current))
                .toList();
    }

}
