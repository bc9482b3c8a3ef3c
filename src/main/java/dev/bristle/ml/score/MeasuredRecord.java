package dev.bristle.ml.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bristle.ml.distill.Provenance;
import dev.bristle.ml.evidence.Estimate;
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
 * A compact record of one scoring run Bristle made of its own distilled sets ({@code ./bristle score --record}),
 * kept in a committed file under {@code leaderboards/} so a fresh app shows Bristle's measured entries without
 * re-running them: what was scored (the set's provenance), how (the settings, the exact command), and per mode the
 * board's numbers. Never the data itself.
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
 * @param command        the command that measured it
 * @param measuredAt     when it finished (ISO-8601, UTC)
 * @param seconds        how long it took
 */
public record MeasuredRecord(String dataset, int ipc, String method, String protocol, String recipe,
                             String recipeDetails, Settings settings, String testSet, String testSetCopy,
                             int testImages, int splitSize, double cleanAccuracy, Map<String, ModeNumbers> modes,
                             Provenance set, String command, String measuredAt, double seconds) {

    /** The settings a run used, as a job's settings name them. */
    public record Settings(int epochs, int students, long seed, List<String> attacks, List<String> modes) {
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

    /** A scoring result as a record. */
    public static MeasuredRecord of(String dataset, int ipc, String method, String protocol, String recipe, String recipeDetails,
                                    Settings settings, TestSets.TestSet test, ScoringPipeline.Result result,
                                    Provenance set, String command, String measuredAt, double seconds) {
        Map<String, ModeNumbers> modes = new LinkedHashMap<>();
        for (Map.Entry<AttackMode, MetricReport> measured : result.metrics().entrySet()) {
            AttackMode mode = measured.getKey();
            MetricReport report = measured.getValue();
            Estimate crei = result.uncertainty().containsKey(mode) ? result.uncertainty().get(mode).crei() : null;
            double robust = result.evidence().stream().map(ModelEvidence::worstCase).flatMap(List::stream)
                    .filter(w -> w.mode() == mode).mapToDouble(WorstCase::accuracy).average().orElse(Double.NaN);
            modes.put(mode.key(), new ModeNumbers(report.crei(), crei == null ? null : crei.low(),
                    crei == null ? null : crei.high(), report.rr(), report.ae(),
                    Double.isNaN(robust) ? null : robust));
        }
        return new MeasuredRecord(dataset, ipc, method, protocol, recipe, recipeDetails, settings, test.description(), test.copy(),
                result.testImages(), test.splitSize(), result.meanCleanAccuracy(), modes, set, command, measuredAt,
                seconds);
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
