package dev.bristle.leaderboard;

import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.metrics.RobustnessMetrics;
import dev.bristle.ml.metrics.StudentResults;
import dev.bristle.published.BeardDefect;
import dev.bristle.published.LoggedRun;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Everything known about one method on one dataset. Metrics are recomputed from the published white-box logs with
 * BEARD's rules ({@link RobustnessMetrics#beard()}) and shown with their inputs beside the published values.
 */
@ApplicationScoped
public class EntryService {

    private static final List<AttackMode> MODES = List.of(AttackMode.UNTARGETED, AttackMode.TARGETED);

    private final RobustnessMetrics metrics = RobustnessMetrics.beard();

    @Inject
    EvidenceSource evidence;

    /** Empty when neither a leaderboard nor a log knows the method on this dataset. */
    @Transactional
    public Optional<EntryView> entry(Dataset dataset, String method) {
        List<LeaderboardEntry> ofDataset = LeaderboardEntry.ofDataset(dataset.label());
        List<LeaderboardEntry> rows = ofDataset.stream().filter(e -> e.method.equalsIgnoreCase(method)).toList();
        List<EvaluationRun> runs = EvaluationRun.forMethod(dataset.label(), method);
        if (rows.isEmpty() && runs.isEmpty()) {
            return Optional.empty();
        }
        String name = rows.isEmpty() ? runs.get(0).method : rows.get(0).method;
        Optional<LeaderboardEntry> details = rows.stream()
                .min(Comparator.comparing((LeaderboardEntry e) -> !"untargeted".equals(e.mode))
                        .thenComparing(e -> e.source));

        List<EvaluationRun> whiteBox = runs.stream().filter(r -> LoggedRun.WHITE_BOX.equals(r.kind)).toList();
        boolean hasLogs = !runs.isEmpty();
        // BEARD's logs and defects concern its protocol only: an entry measured only in the sound one has neither.
        boolean beard = hasLogs || rows.stream().anyMatch(e -> e.protocol == AttackProtocol.BEARD);
        String logsMessage = hasLogs || !beard ? null
                : "BEARD published no evaluation logs for " + name + " on " + dataset.label()
                + ": only the published numbers are known, and they cannot be recomputed here.";

        return Optional.of(new EntryView(dataset.label(), dataset.slug(), name,
                details.map(e -> e.paperTitle).orElse(null), details.map(e -> e.author).orElse(null),
                details.map(e -> e.venue).orElse(null), details.map(e -> e.updated).orElse(null),
                details.map(e -> e.codeAvailable).orElse(null),
                details.map(e -> e.distilledDataAvailable).orElse(null),
                boardRows(dataset, ofDataset, rows), paperNumbers(dataset, name), hasLogs, logsMessage,
                runs.stream().map(EntryService::runView).toList(), metricScopes(whiteBox, rows),
                beard ? defects(dataset, runs) : List.of(), measurements(dataset, name, rows),
                remeasured(dataset, name, rows)));
    }

    /** The evidence of the method's measured rows, one per job, then of its checkpoints' evaluations. */
    private List<MeasuredEvidence> measurements(Dataset dataset, String method, List<LeaderboardEntry> rows) {
        List<MeasuredEvidence> measured = new ArrayList<>(rows.stream().map(e -> e.scoringJobId)
                .filter(Objects::nonNull).distinct().sorted().flatMap(id -> evidence.evidence(id).stream()).toList());
        measured.addAll(evidence.checkpointEvaluations(dataset.label(), method));
        return measured;
    }

    /** The method's published checkpoints re-measured in BEARD's protocol, beside the published numbers. */
    private List<EntryView.Remeasured> remeasured(Dataset dataset, String method, List<LeaderboardEntry> rows) {
        List<EntryView.Remeasured> result = new ArrayList<>();
        for (MeasuredEvidence run : evidence.checkpointEvaluations(dataset.label(), method)) {
            if (!AttackProtocol.BEARD.key().equals(run.protocol())) continue;
            String ipc = String.valueOf(run.ipc());
            for (MeasuredEvidence.ModeMetrics measured : run.metrics().isEmpty()
                    ? List.of(new MeasuredEvidence.ModeMetrics("untargeted", null, null, null, null, null, null, null,
                            List.of()))
                    : run.metrics()) {
                Optional<LeaderboardEntry> published = rows.stream().filter(e -> e.source == EntrySource.PUBLISHED
                        && e.protocol == AttackProtocol.BEARD && e.ipc.equals(ipc) && e.mode.equals(measured.mode()))
                        .findFirst();
                Double cleanPublished = published.map(e -> e.cleanAccuracy).orElse(null);
                Double rrmPublished = published.map(e -> e.rrm).orElse(null);
                result.add(new EntryView.Remeasured(run.jobId(), run.jobUrl(), run.subject(), ipc, measured.mode(),
                        run.testSet(), run.testSetNote(), run.testImages(), run.meanCleanAccuracy(), cleanPublished,
                        difference(run.meanCleanAccuracy(), cleanPublished), measured.rrm(), rrmPublished,
                        difference(measured.rrm(), rrmPublished)));
            }
        }
        return result;
    }

    private static Double difference(Double measured, Double published) {
        return measured == null || published == null ? null : measured - published;
    }

    private static List<EntryView.EntryBoardRow> boardRows(Dataset dataset, List<LeaderboardEntry> ofDataset,
                                                           List<LeaderboardEntry> rows) {
        Map<String, List<LeaderboardEntry>> boards = ofDataset.stream()
                .collect(Collectors.groupingBy(e -> e.ipc + "|" + e.mode + "|" + e.protocol + "|" + e.recipe));
        return rows.stream()
                .sorted(Comparator.comparing((LeaderboardEntry e) -> e.protocol).thenComparing(e -> e.recipe)
                        .thenComparing(e -> !"untargeted".equals(e.mode))
                        .thenComparing(e -> Ipc.fromKey(e.ipc).orElseThrow())
                        .thenComparing(e -> e.source)
                        .thenComparing(e -> e.status))
                .map(e -> {
                    List<LeaderboardEntry> board = boards.get(e.ipc + "|" + e.mode + "|" + e.protocol + "|" + e.recipe);
                    Ipc ipc = Ipc.fromKey(e.ipc).orElseThrow();
                    return new EntryView.EntryBoardRow(e.mode, e.ipc, ipc.label(), e.protocol.key(), e.recipe.key(),
                            e.status.key(),
                            BoardRows.differences(e),
                            e.ranked() ? BoardRows.rankByCrei(board, e) : null,
                            (int) board.stream().filter(LeaderboardEntry::ranked).count(), e.crei, e.creiLow,
                            e.creiHigh, e.rrm, e.aem, e.cleanAccuracy, e.cleanAccuracyBasis,
                            e.source.name().toLowerCase(Locale.ROOT), e.sourceReference,
                            BoardRows.sourceUrl(e), e.scoringJobId, Links.board(dataset, ipc,
                                    AttackMode.fromKey(e.mode), e.protocol, e.recipe), e.verified(),
                            e.verificationLines());
                }).toList();
    }

    private static List<EntryView.PaperNumber> paperNumbers(Dataset dataset, String method) {
        return PaperTableValue.forMethod(dataset.label(), method).stream()
                .map(v -> new EntryView.PaperNumber(v.tableNumber, v.metric, v.mode, v.ipc, v.training, v.value,
                        v.note))
                .toList();
    }

    private static EntryView.RunView runView(EvaluationRun run) {
        Map<String, AttackResult[]> byAttack = new LinkedHashMap<>();
        for (AttackResult r : run.results) {
            AttackResult[] pair = byAttack.computeIfAbsent(r.attack, a -> new AttackResult[2]);
            pair["targeted".equals(r.mode) ? 0 : 1] = r;
        }
        List<EntryView.AttackLine> lines = byAttack.entrySet().stream().map(a -> {
            AttackResult t = a.getValue()[0];
            AttackResult u = a.getValue()[1];
            return new EntryView.AttackLine(a.getKey(),
                    t == null ? null : t.accuracy, t == null ? null : t.seconds, t == null ? null : t.note,
                    u == null ? null : u.accuracy, u == null ? null : u.seconds, u == null ? null : u.note);
        }).toList();
        return new EntryView.RunView(run.kind, run.ipc, run.model, run.logPath, run.loggedAt, run.noteLines(), lines);
    }

    /** Per mode: each logged IPC alone, then IPC 1, 10 and 50 pooled when all three were logged. */
    private List<EntryView.MetricScope> metricScopes(List<EvaluationRun> whiteBox, List<LeaderboardEntry> rows) {
        Map<String, LoggedRun> byIpc = whiteBox.stream()
                .collect(Collectors.toMap(r -> r.ipc, EntryService::loggedRun, (a, b) -> a));
        List<Ipc> scopes = new ArrayList<>(Ipc.POOLED.stream().filter(i -> byIpc.containsKey(i.key())).toList());
        if (scopes.size() == Ipc.POOLED.size()) {
            scopes.add(Ipc.ALL);
        }
        List<EntryView.MetricScope> result = new ArrayList<>();
        for (AttackMode mode : MODES) {
            for (Ipc ipc : scopes) {
                List<Ipc> pooled = ipc == Ipc.ALL ? Ipc.POOLED : List.of(ipc);
                List<StudentResults> students = pooled.stream()
                        .map(i -> byIpc.get(i.key()).studentResults(mode)).toList();
                Optional<LeaderboardEntry> published = rows.stream()
                        .filter(e -> e.source == EntrySource.PUBLISHED && e.mode.equals(mode.key())
                                && e.ipc.equals(ipc.key()))
                        .findFirst();
                result.add(scope(mode, ipc, students, published));
            }
        }
        return result;
    }

    private EntryView.MetricScope scope(AttackMode mode, Ipc ipc, List<StudentResults> students,
                                        Optional<LeaderboardEntry> published) {
        MetricReport report = metrics.multiAdversary(mode, students);
        String source = published.map(e -> e.sourceReference).orElse(null);
        Function<Function<LeaderboardEntry, Double>, Double> publishedValue = f -> published.map(f).orElse(null);
        List<EntryView.AttackMetric> perAttack = metrics.singleAdversary(mode, students).entrySet().stream()
                .map(a -> new EntryView.AttackMetric(a.getKey(),
                        metric("RRS", a.getValue().rr(), MetricFormulas.robustness("RRS", a.getValue()), null, null),
                        metric("AES", a.getValue().ae(), MetricFormulas.efficiency("AES", a.getValue()), null, null),
                        metric("CREI", a.getValue().crei(), MetricFormulas.crei(a.getValue()), null, null),
                        a.getValue().notes()))
                .toList();
        List<String> notes = new ArrayList<>(report.notes());
        if (students.size() == 1) {
            notes.add("One attack on one student always gives RRS 0 and AES 100: per-attack values only say"
                    + " something when pooled over several IPCs (Unified).");
        }
        return new EntryView.MetricScope(mode.key(), ipc.key(), ipc.label(),
                students.stream().map(StudentResults::label).toList(), report.attacks(), report.excluded(),
                metric("RRM", report.rr(), MetricFormulas.robustness("RRM", report),
                        publishedValue.apply(e -> e.rrm), source),
                metric("AEM", report.ae(), MetricFormulas.efficiency("AEM", report),
                        publishedValue.apply(e -> e.aem), source),
                metric("CREI", report.crei(), MetricFormulas.crei(report),
                        publishedValue.apply(e -> e.crei), source),
                perAttack, notes);
    }

    private static EntryView.MetricValue metric(String name, Double value, String formula, Double published,
                                                String source) {
        return new EntryView.MetricValue(name, value, formula, published, published == null ? null : source);
    }

    private static LoggedRun loggedRun(EvaluationRun run) {
        return new LoggedRun(run.method, run.dataset, run.ipc, run.model, run.kind, run.logPath, run.loggedAt,
                run.noteLines(), run.results.stream()
                .map(r -> new LoggedRun.Result(r.attack, r.mode, r.accuracy, r.seconds, r.note)).toList());
    }

    /** The protocol defects behind this method's numbers on this dataset. */
    private static List<String> defects(Dataset dataset, List<EvaluationRun> runs) {
        List<BeardDefect> defects = new ArrayList<>(List.of(BeardDefect.NORMALIZATION_CLAMP));
        if (dataset != Dataset.CIFAR_10) {
            defects.add(BeardDefect.TARGETS_MODULO_TEN);
        }
        defects.add(BeardDefect.TARGETED_NOT_RUN);
        if (runs.stream().anyMatch(r -> "query".equals(r.kind))) {
            defects.add(BeardDefect.SPSA_NOT_RUN);
        }
        defects.add(BeardDefect.CLOCK_SEEDS_AND_TIMES);
        defects.add(BeardDefect.UNBOUNDED_ATTACKS);
        return defects.stream().map(BeardDefect::text).toList();
    }
}
