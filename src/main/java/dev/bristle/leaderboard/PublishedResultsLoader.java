package dev.bristle.leaderboard;

import dev.bristle.files.Digests;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.published.LoggedRun;
import dev.bristle.published.PaperValue;
import dev.bristle.published.PublishedEntry;
import dev.bristle.published.PublishedResults;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Loads BEARD's published results (the {@code leaderboards/*.json} files on the classpath) into the database at
 * start-up. Idempotent: when every file's SHA-256 is already recorded nothing happens; otherwise every row is
 * upserted by its natural key, so a changed file updates rows instead of adding them twice.
 *
 * <p>Untargeted boards come from the leaderboard file. Targeted boards come from the paper: Table 1 (unified RRM,
 * AEM, CREI) and Table 2 (CREI per IPC), with each method's paper, venue and flags copied from its untargeted row.
 * Clean accuracy is filled in where a white-box log knows it (for "all": the mean over IPC 1, 10 and 50).
 */
@ApplicationScoped
public class PublishedResultsLoader {

    private static final Logger LOG = Logger.getLogger(PublishedResultsLoader.class);
    private static final List<String> FILES = List.of(
            PublishedResults.LEADERBOARD_FILE, PublishedResults.PAPER_TABLES_FILE, PublishedResults.LOGS_FILE);
    static final String PAPER_TABLES_REFERENCE = PublishedResults.PAPER_TABLES_FILE + ", Table ";

    /** What a load did. */
    public record LoadSummary(boolean skipped, int entries, int paperValues, int runs) {
    }

    void onStart(@Observes StartupEvent event) {
        LoadSummary summary = load();
        if (summary.skipped()) {
            LOG.info("published results already loaded (file checksums unchanged)");
        } else {
            LOG.infof("published results loaded: %d leaderboard rows, %d paper values, %d evaluation logs",
                    summary.entries(), summary.paperValues(), summary.runs());
        }
    }

    @Transactional
    public LoadSummary load() {
        BoardRevision.raise();
        Map<String, String> digests = new LinkedHashMap<>();
        FILES.forEach(name -> digests.put(name, sha256(name)));
        if (digests.entrySet().stream().allMatch(d -> PublishedFile.isLoaded(d.getKey(), d.getValue()))) {
            return new LoadSummary(true, 0, 0, 0);
        }
        PublishedResults published = PublishedResults.fromClasspath();
        int runs = loadRuns(published.logs().runs());
        int paperValues = loadPaperValues(published.paperTables().values());
        // One query, then upserts in memory: a query per row would flush the session each time.
        Map<String, LeaderboardEntry> existing = LeaderboardEntry.ofSource(EntrySource.PUBLISHED).stream()
                .collect(Collectors.toMap(e -> entryKey(e.dataset, e.ipc, e.mode, e.method), e -> e));
        int entries = loadUntargeted(published.leaderboard().entries(), existing)
                + loadTargeted(published.paperTables().values(), published.leaderboard().entries(), existing);
        addCleanAccuracy(published.logs().runs(), existing.values());
        Instant now = Instant.now();
        digests.forEach((name, sha) -> {
            if (!PublishedFile.isLoaded(name, sha)) {
                PublishedFile file = new PublishedFile();
                file.name = name;
                file.sha256 = sha;
                file.loadedAt = now;
                file.persist();
            }
        });
        return new LoadSummary(false, entries, paperValues, runs);
    }

    private int loadUntargeted(List<PublishedEntry> rows, Map<String, LeaderboardEntry> existing) {
        for (PublishedEntry row : rows) {
            LeaderboardEntry entry = entryFor(existing, row.dataset(), row.ipc(), row.mode(), row.method());
            copyDetails(row, entry);
            entry.crei = row.crei();
            entry.rrm = row.rrm();
            entry.aem = row.aem();
            entry.sourceReference = PublishedResults.LEADERBOARD_FILE;
            entry.publishedRank = row.rank();
            entry.persist();
        }
        return rows.size();
    }

    /** Targeted rows from Table 1 (unified) and Table 2 (per IPC); rows the paper prints as "/" are left out. */
    private int loadTargeted(List<PaperValue> values, List<PublishedEntry> untargeted,
                             Map<String, LeaderboardEntry> existing) {
        int count = 0;
        for (PaperValue crei : values) {
            boolean boardValue = "targeted".equals(crei.mode()) && "CREI".equals(crei.metric())
                    && "standard".equals(crei.training()) && crei.value() != null
                    && !PaperTableValue.FULL_SIZE.equals(crei.method())
                    && (crei.table() == 1 && "all".equals(crei.ipc()) || crei.table() == 2 && !"all".equals(crei.ipc()));
            if (!boardValue) {
                continue;
            }
            Optional<PublishedEntry> details = detailsOf(untargeted, crei.dataset(), crei.ipc(), crei.method());
            if (details.isEmpty()) {
                LOG.warnf("%s Table %d: no untargeted row of %s to take the paper details from; %s %s left out",
                        PublishedResults.PAPER_TABLES_FILE, crei.table(), crei.method(), crei.dataset(), crei.ipc());
                continue;
            }
            LeaderboardEntry entry = entryFor(existing, crei.dataset(), crei.ipc(), crei.mode(), crei.method());
            copyDetails(details.get(), entry);
            entry.crei = crei.value();
            entry.rrm = crei.table() == 1 ? tableValue(values, crei, "RRM") : null;
            entry.aem = crei.table() == 1 ? tableValue(values, crei, "AEM") : null;
            entry.sourceReference = PAPER_TABLES_REFERENCE + crei.table();
            entry.publishedRank = null;
            entry.persist();
            count++;
        }
        return count;
    }

    private static Double tableValue(List<PaperValue> values, PaperValue crei, String metric) {
        return values.stream()
                .filter(v -> v.table() == crei.table() && v.metric().equals(metric) && v.mode().equals(crei.mode())
                        && v.dataset().equals(crei.dataset()) && v.ipc().equals(crei.ipc())
                        && v.method().equals(crei.method()) && v.training().equals(crei.training()))
                .map(PaperValue::value)
                .findFirst().orElse(null);
    }

    /** The method's untargeted row on the same board, else on any board of the same dataset, else anywhere. */
    private static Optional<PublishedEntry> detailsOf(List<PublishedEntry> untargeted, String dataset, String ipc,
                                                      String method) {
        List<PublishedEntry> ofMethod = untargeted.stream().filter(e -> e.method().equals(method)).toList();
        return ofMethod.stream().filter(e -> e.dataset().equals(dataset) && e.ipc().equals(ipc)).findFirst()
                .or(() -> ofMethod.stream().filter(e -> e.dataset().equals(dataset)).findFirst())
                .or(() -> ofMethod.stream().findFirst());
    }

    /** The published row with this natural key, created (and indexed) when it is new. */
    private static LeaderboardEntry entryFor(Map<String, LeaderboardEntry> existing, String dataset, String ipc,
                                             String mode, String method) {
        return existing.computeIfAbsent(entryKey(dataset, ipc, mode, method), key -> {
            LeaderboardEntry entry = new LeaderboardEntry();
            entry.dataset = dataset;
            entry.ipc = ipc;
            entry.mode = mode;
            entry.method = method;
            entry.source = EntrySource.PUBLISHED;
            return entry;
        });
    }

    private static String entryKey(String dataset, String ipc, String mode, String method) {
        return String.join("|", dataset, ipc, mode, method);
    }

    private static void copyDetails(PublishedEntry from, LeaderboardEntry to) {
        to.paperTitle = from.paper();
        to.author = from.author();
        to.venue = from.venue();
        to.updated = from.updated();
        to.codeAvailable = from.code();
        to.distilledDataAvailable = from.distilledData();
    }

    private int loadPaperValues(List<PaperValue> values) {
        Map<String, PaperTableValue> existing = PaperTableValue.<PaperTableValue>listAll().stream()
                .collect(Collectors.toMap(v -> paperKey(v.tableNumber, v.metric, v.mode, v.dataset, v.ipc, v.method,
                        v.training), v -> v));
        for (PaperValue v : values) {
            PaperTableValue row = existing.computeIfAbsent(paperKey(v.table(), v.metric(), v.mode(), v.dataset(),
                    v.ipc(), v.method(), v.training()), key -> new PaperTableValue());
            row.tableNumber = v.table();
            row.metric = v.metric();
            row.mode = v.mode();
            row.dataset = v.dataset();
            row.ipc = v.ipc();
            row.method = v.method();
            row.training = v.training();
            row.value = v.value();
            row.note = v.note();
            row.persist();
        }
        return values.size();
    }

    private static String paperKey(int table, String metric, String mode, String dataset, String ipc, String method,
                                   String training) {
        return String.join("|", String.valueOf(table), metric, mode, dataset, ipc, method, training);
    }

    private int loadRuns(List<LoggedRun> runs) {
        for (LoggedRun logged : runs) {
            EvaluationRun run = EvaluationRun.findByLogPath(logged.log()).orElseGet(EvaluationRun::new);
            run.method = logged.method();
            run.dataset = logged.dataset();
            run.ipc = logged.ipc();
            run.model = logged.model();
            run.kind = logged.kind();
            run.logPath = logged.log();
            run.loggedAt = logged.loggedAt();
            run.notes = logged.notes().isEmpty() ? null : String.join("\n", logged.notes());
            for (LoggedRun.Result result : logged.results()) {
                AttackResult row = run.results.stream()
                        .filter(r -> r.attack.equals(result.attack()) && r.mode.equals(result.mode()))
                        .findFirst()
                        .orElseGet(() -> {
                            AttackResult created = new AttackResult();
                            created.run = run;
                            created.attack = result.attack();
                            created.mode = result.mode();
                            run.results.add(created);
                            return created;
                        });
                row.accuracy = result.accuracy();
                row.seconds = result.seconds();
                row.note = result.note();
            }
            run.persist();
        }
        return runs.size();
    }

    private void addCleanAccuracy(List<LoggedRun> runs, Collection<LeaderboardEntry> entries) {
        List<LoggedRun> whiteBox = runs.stream().filter(r -> LoggedRun.WHITE_BOX.equals(r.kind())).toList();
        for (LeaderboardEntry entry : entries) {
            List<LoggedRun> ofEntry = whiteBox.stream()
                    .filter(r -> r.dataset().equals(entry.dataset) && r.method().equals(entry.method)).toList();
            if ("all".equals(entry.ipc)) {
                List<Optional<Double>> perIpc = Ipc.POOLED.stream()
                        .map(ipc -> cleanAccuracy(ofEntry, ipc.key(), entry.mode)).toList();
                boolean complete = perIpc.stream().allMatch(Optional::isPresent);
                entry.cleanAccuracy = complete
                        ? perIpc.stream().mapToDouble(Optional::get).average().orElseThrow() : null;
                entry.cleanAccuracyBasis = complete ? "mean over IPC 1, 10 and 50 of the published logs" : null;
            } else {
                Optional<Double> clean = cleanAccuracy(ofEntry, entry.ipc, entry.mode);
                entry.cleanAccuracy = clean.orElse(null);
                entry.cleanAccuracyBasis = clean.isPresent() ? "clean pass of the published log" : null;
            }
        }
    }

    private static Optional<Double> cleanAccuracy(List<LoggedRun> runs, String ipc, String mode) {
        return runs.stream().filter(r -> r.ipc().equals(ipc))
                .flatMap(r -> r.results().stream())
                .filter(r -> Measurement.CLEAN.equals(r.attack()) && r.mode().equals(mode))
                .map(LoggedRun.Result::accuracy)
                .findFirst();
    }

    private static String sha256(String name) {
        String path = "leaderboards/" + name;
        try (InputStream in = PublishedResultsLoader.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("published results missing from the classpath: " + path);
            }
            return Digests.sha256(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
