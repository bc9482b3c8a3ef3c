package dev.bristle.ml.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.bristle.input.InvalidInputException;
import dev.bristle.keys.Keyed;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.record.EvaluationRecord.AttackOutcome;
import dev.bristle.ml.record.EvaluationRecord.Interval;
import dev.bristle.ml.record.EvaluationRecord.ModeMetrics;
import dev.bristle.ml.record.EvaluationRecord.PerImage;
import dev.bristle.ml.record.EvaluationRecord.StudentOutcome;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads, writes and validates {@link EvaluationRecord}s. Reading is strict, because records come from outside
 * (submission bundles, uploaded files): every property must be present (nullable ones as null), none unknown, no
 * fraction where a whole number belongs, and the record must be one this Bristle reads (schema, version) with its
 * parts consistent (per-image arrays as long as the test set, accuracies in [0, 100]). A bad record is the user's
 * mistake: {@link InvalidInputException} with a short message that echoes nothing of the input.
 */
public final class EvaluationRecords {

    public static final String SCHEMA = "bristle-evaluation-record";
    public static final int VERSION = 1;
    public static final Set<Integer> SUPPORTED_VERSIONS = Set.of(1);

    private EvaluationRecords() {
    }

    public static void write(EvaluationRecord record, OutputStream out) throws IOException {
        RecordJson.MAPPER.writeValue(out, record);
    }

    /** Reads and validates one record; the stream stays open. */
    public static EvaluationRecord read(InputStream in) throws IOException {
        EvaluationRecord record;
        try {
            record = RecordJson.MAPPER.readerFor(EvaluationRecord.class)
                    .without(com.fasterxml.jackson.core.JsonParser.Feature.AUTO_CLOSE_SOURCE).readValue(in);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("not an evaluation record: " + shape(e));
        }
        validate(record);
        return record;
    }

    /** What a parse failure is, in words that echo nothing of the input. */
    static String shape(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException) return "an unknown property";
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException) {
            return "a property missing or of the wrong type";
        }
        return "malformed JSON";
    }

    /** The record without its per-image data: no clean predictions, no per-image attack results. */
    public static EvaluationRecord compact(EvaluationRecord record) {
        List<StudentOutcome> students = record.students().stream().map(s -> new StudentOutcome(s.index(), s.seed(),
                s.cleanAccuracy(), null, s.stateDictSha256(), s.attacks().stream().map(a -> new AttackOutcome(
                a.attack(), a.mode(), a.accuracy(), a.passesPerImage(), a.seconds(), a.passesPerSecond(),
                a.batchSizes(), null)).toList(), s.flags())).toList();
        return new EvaluationRecord(record.schema(), record.schemaVersion(), record.subject(), record.settings(),
                record.testSet(), students, record.metrics(), record.curves(), record.provenance());
    }

    /** Whether the record carries no per-image data: no clean predictions, no per-image attack results. */
    public static boolean isCompact(EvaluationRecord record) {
        return record.students().stream().allMatch(s -> s.cleanPredictions() == null
                && s.attacks().stream().allMatch(a -> a.perImage() == null));
    }

    /** Checks what JSON types cannot: the schema and version, required parts, and that the parts agree. */
    public static void validate(EvaluationRecord record) {
        require(record != null, "not an evaluation record");
        require(SCHEMA.equals(record.schema()), "not a Bristle evaluation record (schema)");
        require(SUPPORTED_VERSIONS.contains(record.schemaVersion()), String.format(Locale.ROOT,
                "evaluation record version %d is not supported (this Bristle reads %s)", record.schemaVersion(),
                SUPPORTED_VERSIONS));
        require(record.subject() != null && record.settings() != null && record.testSet() != null
                && record.students() != null && record.metrics() != null && record.curves() != null
                && record.provenance() != null, "an evaluation record needs subject, settings, testSet, students, "
                + "metrics, curves and provenance");
        var subject = record.subject();
        require(subject.dataset() != null && subject.recipe() != null,
                "the record's subject needs dataset and recipe");
        DatasetKind kind;
        try {
            kind = DatasetKind.fromName(subject.dataset());
        } catch (InvalidInputException e) {
            throw new InvalidInputException("the record's dataset is unknown");
        }
        require(subject.ipc() >= 0, "the record's ipc must not be negative");
        require((subject.set() == null) != (subject.checkpoint() == null),
                "the record's subject is either a set or a checkpoint");
        var settings = record.settings();
        require(settings.protocol() != null && settings.attacks() != null && settings.modes() != null
                && settings.differences() != null, "the record's settings need protocol, attacks, modes and differences");
        require(settings.modes().stream().allMatch(EvaluationRecords::isMode), "the record names an unknown mode");
        require(record.metrics().keySet().stream().allMatch(EvaluationRecords::isMode),
                "the record's metrics name an unknown mode");
        int images = record.testSet().images();
        require(images > 0 && images <= record.testSet().splitSize(),
                "the record's test images must be between 1 and the split's size");
        require(record.students().size() == settings.students(), "the record lists " + record.students().size()
                + " student(s), its settings say " + settings.students());
        for (int i = 0; i < record.students().size(); i++) {
            student(record.students().get(i), i, images, kind.classCount());
        }
        for (Map.Entry<String, ModeMetrics> mode : record.metrics().entrySet()) {
            ModeMetrics m = mode.getValue();
            require(m != null, "the record's metrics need every mode's numbers");
            interval(m.rrmInterval());
            interval(m.aemInterval());
            interval(m.creiInterval());
            if (m.robustAccuracy() != null) percent(m.robustAccuracy(), "robust accuracy");
        }
    }

    private static void student(StudentOutcome student, int position, int images, int classes) {
        require(student != null && student.index() == position, "the record's students must be listed by index");
        percent(student.cleanAccuracy(), "clean accuracy");
        require(student.attacks() != null && student.flags() != null,
                "every student in the record needs its attacks and flags");
        predictions(student.cleanPredictions(), images, classes, "clean predictions");
        for (AttackOutcome attack : student.attacks()) {
            require(attack != null && attack.attack() != null && isMode(attack.mode()),
                    "every attack in the record needs its name and a known mode");
            percent(attack.accuracy(), "accuracy");
            PerImage perImage = attack.perImage();
            if (perImage == null) continue;
            predictions(perImage.prediction(), images, classes, "adversarial predictions");
            require(perImage.prediction() != null && perImage.correct() != null && perImage.passes() != null,
                    "per-image results need prediction, correct and passes");
            require(perImage.correct().length() == images, length("correct"));
            require(perImage.correct().chars().allMatch(c -> c == '0' || c == '1'),
                    "per-image correctness must be a string of 0 and 1");
            require(perImage.passes().length == images, length("passes"));
            for (int p : perImage.passes()) require(p >= 0, "per-image passes must not be negative");
            if (perImage.norm() != null) {
                require(perImage.norm().length == images, length("norm"));
                for (double n : perImage.norm()) {
                    require(Double.isFinite(n) && n >= 0, "per-image norms must be finite and not negative");
                }
            }
        }
    }

    private static void predictions(int[] predictions, int images, int classes, String what) {
        if (predictions == null) return;
        require(predictions.length == images, length(what));
        for (int p : predictions) require(p >= 0 && p < classes, what + " must be classes of the dataset");
    }

    private static String length(String what) {
        return "per-image " + what + " must have one entry per test image";
    }

    private static void interval(Interval interval) {
        if (interval == null) return;
        require(Double.isFinite(interval.low()) && Double.isFinite(interval.high())
                && interval.low() <= interval.high(), "an interval in the record must have low <= high");
    }

    private static void percent(double value, String what) {
        require(Double.isFinite(value) && value >= 0 && value <= 100, "the record's " + what
                + " must be a percentage");
    }

    private static boolean isMode(String key) {
        return key != null && Keyed.fromKey(AttackMode.class, key).isPresent();
    }

    private static void require(boolean condition, String message) {
        if (!condition) throw new InvalidInputException(message);
    }
}
