package dev.bristle.leaderboard;

import dev.bristle.accounts.Actor;
import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.attack.AttackBudgets;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.train.TrainingRecipe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The leaderboards as pages and the API show them. */
@ApplicationScoped
public class LeaderboardService {

    /**
     * The method name of the random-subset baseline (Bristle's {@code random} distiller): a measured entry of this
     * name is its board's baseline.
     */
    public static final String BASELINE_METHOD = "Random";

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
                List<BoardRow> rows = rows(dataset, entries, SortColumn.CREI, SortDirection.DESC);
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
        Optional<LeaderboardEntry> baseline = baseline(entries);
        List<String> notes = new ArrayList<>(protocol == AttackProtocol.BEARD ? notes(dataset, ipc, mode)
                : soundNotes(dataset));
        notes.add(baseline.isPresent() ? "Baseline: the random subset of " + dataset.label() + " at " + ipc.label()
                + " (real training images drawn class-balanced by Bristle, trained and attacked like every entry);"
                + " each row's gain is its clean and robust accuracy minus the baseline's, in points."
                : "No random-subset baseline has been measured for this board yet: gains over it are not shown.");
        if (recipe.equals(TrainingRecipe.Kind.PGD_AT)) {
            notes.add("Students trained with PGD adversarial examples of the distilled images (Madry et al.), ranked"
                    + " apart from standard training.");
        }
        return new BoardView(dataset.label(), dataset.slug(), ipc.key(), ipc.label(), mode.key(), protocol.key(),
                protocolLabel(protocol), recipe.key(), recipeLabel(recipe), sort.key(), dir.key(),
                Links.board(dataset, ipc, mode, protocol, recipe, sort, dir),
                modeLinks(mode, m -> Links.board(dataset, ipc, m, protocol, recipe, sort, dir)),
                protocolLinks(dataset, protocol, p -> Links.board(dataset, ipc, mode, p, recipe, sort, dir)),
                Arrays.stream(TrainingRecipe.Kind.values()).map(r -> new NavLink(r.key(), recipeLabel(r),
                        Links.board(dataset, ipc, mode, protocol, r, sort, dir), r == recipe)).toList(),
                Arrays.stream(Ipc.values()).map(i -> new NavLink(i.key(), i.label(),
                        Links.board(dataset, i, mode, protocol, recipe, sort, dir), i == ipc)).toList(),
                columns, rows(dataset, entries, sort, dir),
                protocol == AttackProtocol.BEARD && recipe == TrainingRecipe.Kind.STANDARD
                        ? fullSize(dataset, ipc, mode) : null,
                baseline.map(b -> new BoardView.Baseline(b.method, b.status.key(), b.cleanAccuracy, b.robustAccuracy,
                        b.crei, Links.entry(dataset, b.method))).orElse(null),
                recipe == TrainingRecipe.Kind.PGD_AT ? table4(dataset, mode) : List.of(), notes);
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

    /** BEARD's Table 4 for {@code dataset} and {@code mode}: each method's CREI with and without adversarial training. */
    private static List<BoardView.Table4Row> table4(Dataset dataset, AttackMode mode) {
        Map<String, Map<String, Double>> byMethod = new java.util.TreeMap<>();
        for (PaperTableValue v : PaperTableValue.table4(dataset.label(), mode.key())) {
            byMethod.computeIfAbsent(v.method, m -> new java.util.HashMap<>()).put(v.training, v.value);
        }
        return byMethod.entrySet().stream().map(e -> new BoardView.Table4Row(e.getKey(), e.getValue().get("standard"),
                e.getValue().get("adversarial"))).toList();
    }

    static String recipeLabel(TrainingRecipe.Kind recipe) {
        return recipe == TrainingRecipe.Kind.STANDARD ? "Standard training" : "Adversarial training (PGD-AT)";
    }

    /** The boards' revision, raised by every change to their entries (the pages' ETags carry it). */
    @Transactional
    public long revision() {
        return BoardRevision.current();
    }

    /**
     * Puts a finished job's metrics on the boards of its dataset, IPC and protocol, one entry per mode: ranked when
     * the run had its protocol's official settings, preliminary otherwise (replacing the method's previous entry of
     * the same status there, never one of the other status).
     *
     * @return what publishing did, one line per mode
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<String> publish(MeasuredRun run) {
        return publish(run, row -> {
        });
    }

    /** As {@link #publish(MeasuredRun)}, in the caller's transaction, each row marked by {@code mark} before it is stored. */
    List<String> publish(MeasuredRun run, java.util.function.Consumer<LeaderboardEntry> mark) {
        BoardRevision.raise();
        List<String> outcome = new ArrayList<>();
        Optional<Dataset> board = Dataset.fromLabel(run.dataset());
        String ipc = String.valueOf(run.ipc());
        EntryStatus status = run.status();
        for (var measured : run.metrics().entrySet()) {
            String mode = measured.getKey().key();
            MetricReport report = measured.getValue();
            if (board.isEmpty() || Ipc.fromKey(ipc).isEmpty()) {
                outcome.add(mode + ": not published, there is no " + run.dataset() + " IPC " + ipc + " leaderboard");
                continue;
            }
            if (report.crei() == null) {
                outcome.add(mode + ": not published, CREI is undefined (" + String.join("; ", report.notes()) + ")");
                continue;
            }
            if (!board.get().hasBoardsIn(run.protocol())) {
                outcome.add(mode + ": not published, " + run.dataset() + " has boards in the sound protocol only");
                continue;
            }
            Optional<LeaderboardEntry> existing = LeaderboardEntry.findMeasured(run.dataset(), ipc, mode,
                    run.protocol(), run.recipe(), run.method(), status);
            if (existing.isPresent() && !mayReplace(existing.get(), run.submitter())) {
                outcome.add(mode + ": not published, another submitter's entry on this board is named "
                        + run.method() + "; a run replaces only its own submitter's entry (a maintainer's any)");
                continue;
            }
            LeaderboardEntry row = existing.orElseGet(LeaderboardEntry::new);
            row.dataset = run.dataset();
            row.ipc = ipc;
            row.mode = mode;
            row.protocol = run.protocol();
            row.recipe = run.recipe();
            row.status = status;
            row.statusReasons = status == EntryStatus.RANKED ? null : truncate(String.join("; ", run.differences()),
                    1000);
            row.method = run.method();
            row.paperTitle = truncate(run.paperTitle() != null ? run.paperTitle() : "measured by " + run.reference(),
                    300);
            row.author = run.authors() != null ? run.authors() : "unknown";
            row.venue = "measured by Bristle";
            row.updated = LocalDate.now();
            row.codeAvailable = false;
            // A job's set is in the dataset pool; a command-line record's set or checkpoint is not served here.
            row.distilledDataAvailable = run.jobId() != null;
            row.crei = report.crei();
            double[] interval = run.creiIntervals().get(measured.getKey());
            row.creiLow = interval == null ? null : interval[0];
            row.creiHigh = interval == null ? null : interval[1];
            row.rrm = report.rr();
            row.aem = report.ae();
            row.cleanAccuracy = run.meanCleanAccuracy();
            row.robustAccuracy = run.robustAccuracy().get(measured.getKey());
            row.cleanAccuracyBasis = truncate(run.cleanAccuracyBasis(), 200);
            row.source = EntrySource.MEASURED;
            row.sourceReference = truncate(run.reference(), 200);
            row.scoringJobId = run.jobId();
            row.publishedRank = null;
            row.submittedBy = run.submitter().name();
            row.reviewStatus = run.submitter().maintainer() ? ReviewStatus.APPROVED : ReviewStatus.PENDING;
            row.reviewReason = run.submitter().maintainer() ? "queued by maintainer " + run.submitter().name() : null;
            row.submissionId = null;
            row.verification = null;
            mark.accept(row);
            row.persist();
            if (status == EntryStatus.RANKED) {
                // An official run supersedes the method's preliminary one on this board.
                LeaderboardEntry.findMeasured(run.dataset(), ipc, mode, run.protocol(), run.recipe(), run.method(),
                        EntryStatus.PRELIMINARY).filter(e -> mayReplace(e, run.submitter()))
                        .ifPresent(LeaderboardEntry::delete);
            }
            outcome.add(mode + (row.reviewStatus == ReviewStatus.APPROVED ? ": published on "
                    : ": awaiting review for ") + board.get().label() + " IPC " + ipc + ", " + protocolLabel(
                    run.protocol()) + ", " + (run.recipe() == TrainingRecipe.Kind.STANDARD ? ""
                    : recipeLabel(run.recipe()).toLowerCase(Locale.ROOT) + ", ") + (status == EntryStatus.RANKED ? "ranked" : "preliminary ("
                    + String.join(", ", run.differences()) + ")") + " (CREI "
                    + String.format(Locale.ROOT, "%.2f", report.crei()) + ")");
        }
        return outcome;
    }

    /**
     * Whether a run by {@code submitter} may take the place of {@code row}, an entry of the same board and method:
     * a submitter replaces their own entries only, so nobody takes another's entry off a board by naming a run after
     * it; a maintainer replaces any.
     */
    private static boolean mayReplace(LeaderboardEntry row, Actor submitter) {
        return submitter.maintainer() || submitter.name().equals(row.submittedBy);
    }

    static String truncate(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length - 1) + "…";
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

    /** The entries scoring job {@code jobId} put on the boards: their pages, labelled by board. */
    @Transactional
    public List<NavLink> entriesOf(long jobId) {
        return LeaderboardEntry.ofJob(jobId).stream().flatMap(e -> Dataset.fromLabel(e.dataset).stream()
                .map(d -> new NavLink(e.mode, e.method + " on the " + d.label() + " IPC " + e.ipc + " board, " + e.mode
                        + ", " + e.protocol.key() + " protocol", Links.entry(d, e.method), false))).toList();
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

    private static List<String> soundNotes(Dataset dataset) {
        AttackBudgets budgets = AttackBudgets.of(AttackProtocol.SOUND, dataset.kind());
        return List.of("Measured by Bristle with its sound protocol: attacks in pixel space with the normalization"
                        + " inside the model, at " + dataset.label() + "'s recorded budgets ("
                        + budgetText(budgets.linf()) + " L-inf, " + String.format(Locale.ROOT, "%.2f", budgets.l2())
                        + " L2). BEARD published nothing in this protocol, so its entries are on the boards of"
                        + " BEARD's protocol only.",
                "An entry is ranked only when it was measured with the protocol's official settings; a"
                        + " preliminary entry is listed below the ranked ones, unranked, with what differs.");
    }

    /** 1/255 for CIFAR's budget, 0.1 for Fashion-MNIST's: as the README states them. */
    private static String budgetText(double linf) {
        double in255 = linf * 255;
        return Math.abs(in255 - Math.rint(in255)) < 1e-9 ? String.format(Locale.ROOT, "%.0f/255", in255)
                : String.format(Locale.ROOT, "%.2f", linf);
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
