package dev.bristle.scoring;

import dev.bristle.accounts.Actor;
import dev.bristle.files.Digests;
import dev.bristle.leaderboard.MeasuredEntries;
import dev.bristle.leaderboard.MeasuredRun;
import dev.bristle.leaderboard.PublishedFile;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.distill.Provenance;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.RecordFile;
import dev.bristle.ml.score.OfficialSettings;
import dev.bristle.ml.train.TrainingRecipe;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Imports Bristle's own measured entries at start-up: the records {@code ./bristle score --record} and
 * {@code ./bristle evaluate --record} wrote to {@value #FILE} (committed; numbers, settings, the set's provenance and the command, never data). Each goes on its
 * board as a measured entry, ranked or preliminary by the same rule as a job's ({@link OfficialSettings}). Idempotent:
 * nothing happens while the file's SHA-256 is already recorded.
 */
@ApplicationScoped
public class RecordedResultsLoader {

    static final String FILE = "leaderboards/bristle-measured.json";
    /** Who measured the records: Bristle itself, so its entries need no review. */
    static final Actor BRISTLE = new Actor("bristle", true);

    private static final Logger LOG = Logger.getLogger(RecordedResultsLoader.class);

    @Inject
    MeasuredEntries entries;

    void onStart(@Observes StartupEvent event) {
        List<String> published = load();
        if (!published.isEmpty()) LOG.infof("Bristle's measured records loaded: %s", String.join("; ", published));
    }

    /** What publishing the records did, one line per record and mode; empty when the file is unchanged or absent. */
    public List<String> load() {
        byte[] content;
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(FILE)) {
            if (in == null) return List.of();
            content = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return load(FILE, content);
    }

    /**
     * Publishes the records of a record file named {@code name} whose bytes are {@code content}, once per content:
     * nothing happens while its SHA-256 is recorded under that name.
     */
    public List<String> load(String name, byte[] content) {
        String sha = Digests.sha256(content);
        if (QuarkusTransaction.requiringNew().call(() -> PublishedFile.isLoaded(name, sha))) return List.of();
        RecordFile file;
        try {
            file = RecordFile.read(new java.io.ByteArrayInputStream(content));
        } catch (IOException e) {
            throw new UncheckedIOException(name + " is not a record file", e);
        }
        List<String> outcome = new ArrayList<>();
        for (EvaluationRecord record : file.records()) outcome.addAll(entries.publish(run(record)));
        QuarkusTransaction.requiringNew().run(() -> {
            PublishedFile loaded = new PublishedFile();
            loaded.name = name;
            loaded.sha256 = sha;
            loaded.loadedAt = Instant.now();
            loaded.persist();
        });
        return outcome;
    }

    /**
     * A record as a run to publish: its differences from the official settings decided as a job's are, a published
     * checkpoint's as a checkpoint's ({@link OfficialSettings#checkpointDifferences}), said so in its reference.
     */
    static MeasuredRun run(EvaluationRecord record) {
        EvaluationRecord.RunSettings s = record.settings();
        AttackProtocol protocol = AttackProtocol.fromKey(s.protocol());
        EvaluationRecord.Checkpoint checkpoint = record.subject().checkpoint();
        EvaluationRecord.TestSetInfo test = record.testSet();
        // A checkpoint's student trained no epoch here: its epochs are null.
        OfficialSettings.Run run = new OfficialSettings.Run(s.protocol(), s.students(), s.epochs(), s.attacks(),
                s.modes());
        OfficialSettings official = OfficialSettings.of(protocol);
        List<String> differences = checkpoint != null
                ? official.checkpointDifferences(run, test.images(), test.splitSize(), test.copy())
                : official.differences(run, test.images(), test.splitSize(), test.copy());
        Map<AttackMode, MetricReport> metrics = new EnumMap<>(AttackMode.class);
        Map<AttackMode, double[]> intervals = new EnumMap<>(AttackMode.class);
        Map<AttackMode, Double> robust = new EnumMap<>(AttackMode.class);
        record.metrics().forEach((key, numbers) -> {
            AttackMode mode = AttackMode.fromKey(key);
            // A compact record keeps the board's numbers; their inputs are in the run's full record (--json).
            metrics.put(mode, new MetricReport(mode, 0.5, List.of(), s.attacks(), List.of(), null, null,
                    numbers.rrm(), numbers.aem(), numbers.crei(), List.of()));
            if (numbers.creiInterval() != null) {
                intervals.put(mode, new double[]{numbers.creiInterval().low(), numbers.creiInterval().high()});
            }
            if (numbers.robustAccuracy() != null) robust.put(mode, numbers.robustAccuracy());
        });
        EvaluationRecord.SetFile set = record.subject().set();
        Provenance provenance = set == null ? null : set.provenance();
        double cleanAccuracy = record.students().stream().mapToDouble(EvaluationRecord.StudentOutcome::cleanAccuracy)
                .average().orElseThrow();
        String command = checkpoint != null ? "evaluate" : "score";
        String reference = FILE + " (./bristle " + command + " --record, " + record.provenance().finishedAt() + ")";
        String title;
        if (checkpoint != null) {
            reference = "published checkpoint " + checkpoint.file() + " evaluated by Bristle: " + reference;
            // Its SHA-256 stays in the record: a title is a line on the board.
            title = "published checkpoint " + checkpoint.file() + (checkpoint.source() == null ? ""
                    : " (" + checkpoint.source() + ")") + ", evaluated by Bristle";
        } else {
            title = "measured by Bristle" + (provenance == null ? "" : String.format(Locale.ROOT,
                    ", %s set of seed %d, %d iteration(s)", provenance.method(), provenance.seed(),
                    provenance.iterations())) + ": " + FILE;
        }
        return new MeasuredRun(null, reference, BRISTLE, record.subject().datasetName(), record.subject().ipc(),
                record.subject().method(), title, "Bristle", protocol,
                TrainingRecipe.Kind.fromKey(record.subject().recipe()), differences, cleanAccuracy,
                String.format(Locale.ROOT, "%s on %,d test images", checkpoint != null ? "the published checkpoint"
                        : "mean of " + s.students() + " student(s)", test.images()), metrics, intervals, robust);
    }
}
