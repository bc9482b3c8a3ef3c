package dev.bristle.ml.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bristle.ml.distill.Provenance;
import dev.bristle.ml.evidence.Estimate;
import dev.bristle.ml.evidence.MetricUncertainty;
import dev.bristle.ml.evidence.ModelEvidence;
import dev.bristle.ml.evidence.WorstCase;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.MetricReport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compact record of one run Bristle measured: a distilled set scored ({@code ./bristle score --record}) or a
 * published checkpoint evaluated ({@code ./bristle evaluate --record}), kept in a committed file under
 * {@code leaderboards/} so a fresh app shows Bristle's measured entries without re-running them: what was measured
 * (the set's provenance or the checkpoint's), how (the settings, the exact command), and per mode the board's
 * numbers. Never the data itself.
 *
 * @param dataset        dataset display name
 * @param ipc            images per class
 * @param method         the entry's method name ("Random" is the boards' baseline)
 * @param protocol       attack protocol key
 * @param recipe         training recipe key ("standard", "pgd-at")
 * @param recipeDetails  the recipe in words (budget, steps)
 * @param settings       the run's settings
 * @param testSet        the test images, as described by the run
 * @param testSetCopy    what the test images are when not the official files; null when they are
 * @param testImages     test images evaluated
 * @param splitSize      images of the whole test split
 * @param cleanAccuracy  mean clean accuracy over the students (%)
 * @param modes          per mode key, the board's numbers
 * @param set            the distilled set's provenance (Bristle's own sets carry one); null when it has none
 * @param checkpoint     the evaluated checkpoint, when the student is a published one rather than trained here;
 *                       null for a scored set
 * @param command        the command that measured it
 * @param measuredAt     when it finished (ISO-8601, UTC)
 * @param seconds        how long it took
 */
public record MeasuredRecord(String dataset, int ipc, String method, String protocol, String recipe,
                             String recipeDetails, Settings settings, String testSet, String testSetCopy,
                             int testImages, int splitSize, double cleanAccuracy, Map<String, ModeNumbers> modes,
                             Provenance set, Checkpoint checkpoint, String command, String measuredAt,
                             double seconds) {

    /**
     * The settings a run used, as a job's settings name them.
     *
     * @param epochs the nominal epochs Bristle trained each student; null for a checkpoint, trained elsewhere
     */
    public record Settings(Integer epochs, int students, long seed, List<String> attacks, List<String> modes) {
    }

    /**
     * A published student evaluated as it is, in place of a set's provenance.
     *
     * @param file   its file name
     * @param source where it is published (a model pool's manifest lists its SHA-256); null when no manifest does
     */
    public record Checkpoint(String file, String sha256, String source) {
    }

    /**
     * What a run measured, from which its record takes the board's numbers: the same for a scored set's students
     * and for one checkpoint.
     *
     * @param metrics     BEARD's multi-adversary metrics per mode
     * @param uncertainty their bootstrap intervals per mode
     * @param evidence    per student, its worst case over the attacks
     */
    public record Measurement(int testImages, double cleanAccuracy, Map<AttackMode, MetricReport> metrics,
                              Map<AttackMode, MetricUncertainty> uncertainty, List<ModelEvidence> evidence) {

        public static Measurement of(ScoringPipeline.Result result) {
            return new Measurement(result.testImages(), result.meanCleanAccuracy(), result.metrics(),
                    result.uncertainty(), result.evidence());
        }
    }

    /**
     * One mode's numbers.
     *
     * @param robustAccuracy the worst case over the attacks, mean over the students (%)
     */
    public record ModeNumbers(Double crei, Double creiLow, Double creiHigh, Double rrm, Double aem,
                              Double robustAccuracy) {
    }

    /** The file of records with a description of what it holds. */
    public record RecordFile(String description, List<MeasuredRecord> records) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A run's measurement as a record: {@code set} for a scored set, {@code checkpoint} for a checkpoint. */
    public static MeasuredRecord of(String dataset, int ipc, String method, String protocol, String recipe, String recipeDetails,
                                    Settings settings, TestSets.TestSet test, Measurement measured,
                                    Provenance set, Checkpoint checkpoint, String command, String measuredAt,
                                    double seconds) {
        Map<String, ModeNumbers> modes = new LinkedHashMap<>();
        for (Map.Entry<AttackMode, MetricReport> metrics : measured.metrics().entrySet()) {
            AttackMode mode = metrics.getKey();
            MetricReport report = metrics.getValue();
            Estimate crei = measured.uncertainty().containsKey(mode) ? measured.uncertainty().get(mode).crei() : null;
            double robust = measured.evidence().stream().map(ModelEvidence::worstCase).flatMap(List::stream)
                    .filter(w -> w.mode() == mode).mapToDouble(WorstCase::accuracy).average().orElse(Double.NaN);
            modes.put(mode.key(), new ModeNumbers(report.crei(), crei == null ? null : crei.low(),
                    crei == null ? null : crei.high(), report.rr(), report.ae(),
                    Double.isNaN(robust) ? null : robust));
        }
        return new MeasuredRecord(dataset, ipc, method, protocol, recipe, recipeDetails, settings, test.description(), test.copy(),
                measured.testImages(), test.splitSize(), measured.cleanAccuracy(), modes, set, checkpoint, command,
                measuredAt, seconds);
    }

    /** What identifies a record in its file: a later run of the same board and method replaces it. */
    public String key() {
        return dataset + "|" + ipc + "|" + protocol + "|" + recipe + "|" + method;
    }

    public static RecordFile read(InputStream in) throws IOException {
        return JSON.readValue(in, RecordFile.class);
    }

    /** Adds {@code record} to {@code file} (created when missing), replacing a record with the same key. */
    public static void upsert(Path file, MeasuredRecord record, String description) throws IOException {
        List<MeasuredRecord> records = new ArrayList<>();
        String text = description;
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                RecordFile existing = read(in);
                text = existing.description();
                existing.records().stream().filter(r -> !r.key().equals(record.key())).forEach(records::add);
            }
        }
        records.add(record);
        records.sort(Comparator.comparing(MeasuredRecord::dataset).thenComparing(MeasuredRecord::ipc)
                .thenComparing(MeasuredRecord::recipe).thenComparing(MeasuredRecord::method));
        JSON.writeValue(file.toFile(), new RecordFile(text, records));
    }
}
