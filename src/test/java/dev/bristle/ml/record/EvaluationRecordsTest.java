package dev.bristle.ml.record;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.record.EvaluationRecord.AttackOutcome;
import dev.bristle.ml.record.EvaluationRecord.Checkpoint;
import dev.bristle.ml.record.EvaluationRecord.Curve;
import dev.bristle.ml.record.EvaluationRecord.CurvePoint;
import dev.bristle.ml.record.EvaluationRecord.Flag;
import dev.bristle.ml.record.EvaluationRecord.Interval;
import dev.bristle.ml.record.EvaluationRecord.ModeMetrics;
import dev.bristle.ml.record.EvaluationRecord.PerImage;
import dev.bristle.ml.record.EvaluationRecord.RunProvenance;
import dev.bristle.ml.record.EvaluationRecord.RunSettings;
import dev.bristle.ml.record.EvaluationRecord.SetFile;
import dev.bristle.ml.record.EvaluationRecord.SingleAdversary;
import dev.bristle.ml.record.EvaluationRecord.StudentOutcome;
import dev.bristle.ml.record.EvaluationRecord.Subject;
import dev.bristle.ml.record.EvaluationRecord.TestSetInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluationRecordsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A full record of two students on four images: FGSM untargeted and DeepFool (with norms) on each. */
    static EvaluationRecord sample() {
        List<StudentOutcome> students = List.of(student(0, 11), student(1, 12));
        return new EvaluationRecord(EvaluationRecords.SCHEMA, 1,
                new Subject("fashion-mnist", "Fashion-MNIST", 10, "DM", "standard", "standard training",
                        new SetFile("fm-dm-10.npz", "ab".repeat(32), null), null),
                new RunSettings("sound", 1, 100, 2, 4, List.of("FGSM", "DeepFool"), List.of("untargeted"),
                        0.1, 1.5, null, 7, 9, false, List.of("4 test images, not 10,000")),
                new TestSetInfo("Fashion-MNIST test split, first 4 of 10000 images", "cd".repeat(32), 4, 10000, null),
                students,
                Map.of("untargeted", new ModeMetrics(40.0, 60.0, 50.0, new Interval(35, 45), new Interval(55, 65),
                        new Interval(45, 55), 25.0, "model-passes",
                        Map.of("FGSM", new SingleAdversary(50.0, 70.0, 60.0)))),
                List.of(new Curve("FGSM", "untargeted", "Linf", List.of(new CurvePoint(0.05, 60), new CurvePoint(0.1, 50)))),
                new RunProvenance("1.0.0-SNAPSHOT", "abc123", "0.30.0", "2.1.1", "cpu", 2,
                        "./bristle score --file fm-dm-10.npz", "2026-12-06T20:00:00Z", "2026-12-06T20:01:00Z", 60));
    }

    private static StudentOutcome student(int index, long seed) {
        return new StudentOutcome(index, seed, 75.0, new int[]{1, 2, 3, 4}, null, List.of(
                new AttackOutcome("FGSM", "untargeted", 50.0, 3.0, 0.5, 24.0, null,
                        new PerImage(new int[]{1, 0, 3, 0}, "1010", new int[]{3, 3, 3, 3}, null)),
                new AttackOutcome("DeepFool", "untargeted", 0.0, 11.5, 0.7, 65.7, List.of(4),
                        new PerImage(new int[]{0, 0, 0, 0}, "0000", new int[]{5, 20, 11, 10},
                                new double[]{0.5, 1.25, 0.75, 2.0}))),
                List.of(new Flag("zero-gradients", null, List.of(), "12% of images have a zero gradient")));
    }

    static byte[] bytes(EvaluationRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EvaluationRecords.write(record, out);
        return out.toByteArray();
    }

    static EvaluationRecord read(byte[] bytes) throws IOException {
        return EvaluationRecords.read(new ByteArrayInputStream(bytes));
    }

    @Test
    void aFullRecordRoundTrips() throws IOException {
        EvaluationRecord record = sample();
        byte[] written = bytes(record);
        EvaluationRecord back = read(written);
        assertArrayEquals(written, bytes(back));
        assertEquals(record.subject(), back.subject());
        assertEquals(record.settings(), back.settings());
        assertEquals(record.metrics(), back.metrics());
        assertArrayEquals(new int[]{1, 2, 3, 4}, back.students().get(1).cleanPredictions());
        PerImage deepFool = back.students().get(0).attacks().get(1).perImage();
        assertArrayEquals(new double[]{0.5, 1.25, 0.75, 2.0}, deepFool.norm());
        assertArrayEquals(new int[]{5, 20, 11, 10}, deepFool.passes());
        assertEquals("0000", deepFool.correct());
        assertFalse(EvaluationRecords.isCompact(back));
    }

    @Test
    void compactDropsPerImageDataOnlyAndStillReads() throws IOException {
        EvaluationRecord compact = EvaluationRecords.compact(sample());
        assertTrue(EvaluationRecords.isCompact(compact));
        EvaluationRecord back = read(bytes(compact));
        StudentOutcome student = back.students().get(0);
        assertNull(student.cleanPredictions());
        assertTrue(student.attacks().stream().allMatch(a -> a.perImage() == null));
        assertEquals(75.0, student.cleanAccuracy());
        assertEquals(11.5, student.attacks().get(1).passesPerImage());
        assertEquals(sample().metrics(), back.metrics());
    }

    @Test
    void aRecordFileUpsertsCompactRecordsByBoardAndMethod(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("measured.json");
        RecordFile.upsert(file, sample(), "test records");
        EvaluationRecord other = sample();
        EvaluationRecord herding = new EvaluationRecord(other.schema(), other.schemaVersion(),
                new Subject("fashion-mnist", "Fashion-MNIST", 10, "Herding", "standard", "standard training",
                        other.subject().set(), null), other.settings(), other.testSet(), other.students(),
                other.metrics(), other.curves(), other.provenance());
        RecordFile.upsert(file, herding, "ignored: the file has one");
        RecordFile.upsert(file, sample(), "ignored");
        RecordFile read = RecordFile.read(Files.newInputStream(file));
        assertEquals("test records", read.description());
        assertEquals(List.of("DM", "Herding"), read.records().stream().map(r -> r.subject().method()).toList());
        assertTrue(EvaluationRecords.isCompact(read.records().get(0)));
    }

    @Test
    void aRecordFileRefusesPerImageDataAndRecordsOffABoard() throws IOException {
        String full = "{\"description\":\"x\",\"records\":[" + new String(bytes(sample()), StandardCharsets.UTF_8)
                + "]}";
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> RecordFile.read(
                new ByteArrayInputStream(full.getBytes(StandardCharsets.UTF_8))));
        assertEquals("a record file keeps compact records: no per-image data", e.getMessage());
        EvaluationRecord s = EvaluationRecords.compact(sample());
        EvaluationRecord noBoard = new EvaluationRecord(s.schema(), s.schemaVersion(), new Subject("cifar10",
                "CIFAR-10", 0, null, "standard", "", null, new Checkpoint("a.pth", "00", null)), s.settings(),
                s.testSet(), s.students(), s.metrics(), s.curves(), s.provenance());
        e = assertThrows(InvalidInputException.class, () -> RecordFile.upsert(Path.of("unused.json"), noBoard, ""));
        assertEquals("a record goes on a board by its method and images per class", e.getMessage());
    }

    @Test
    void refusesWhatIsNotARecord() {
        refused("not an evaluation record: malformed JSON", "{\"schema\":");
        refused("not an evaluation record: malformed JSON", "<html>");
        refused("not an evaluation record: an unknown property", edit(n -> n.put("extra", 1)));
        refused("not an evaluation record: a property missing or of the wrong type", edit(n -> n.remove("curves")));
        refused("not an evaluation record: a property missing or of the wrong type",
                edit(n -> n.put("schemaVersion", 1.5)));
        refused("not a Bristle evaluation record (schema)", edit(n -> n.put("schema", "other")));
        refused("evaluation record version 2 is not supported (this Bristle reads [1])",
                edit(n -> n.put("schemaVersion", 2)));
    }

    @Test
    void refusesMissingParts() {
        refused("an evaluation record needs subject, settings, testSet, students, metrics, curves and provenance",
                edit(n -> n.putNull("provenance")));
        refused("the record's subject needs dataset and recipe",
                edit(n -> ((ObjectNode) n.get("subject")).putNull("recipe")));
        refused("the record's subject is either a set or a checkpoint", edit(n -> ((ObjectNode) n.get("subject"))
                .set("checkpoint", JSON.valueToTree(new Checkpoint("a.pth", "00", null)))));
        refused("the record's subject is either a set or a checkpoint",
                edit(n -> ((ObjectNode) n.get("subject")).putNull("set")));
        refused("the record's dataset is unknown", edit(n -> ((ObjectNode) n.get("subject")).put("dataset", "x")));
        refused("the record's settings need protocol, attacks, modes and differences",
                edit(n -> ((ObjectNode) n.get("settings")).putNull("attacks")));
        refused("every student in the record needs its attacks and flags",
                edit(n -> student(n, 0).putNull("attacks")));
    }

    @Test
    void refusesPartsThatDisagree() {
        refused("the record names an unknown mode",
                edit(n -> ((ArrayNode) n.get("settings").get("modes")).add("sideways")));
        refused("the record's metrics name an unknown mode",
                edit(n -> ((ObjectNode) n.get("metrics")).set("sideways", n.get("metrics").get("untargeted"))));
        refused("the record lists 2 student(s), its settings say 3",
                edit(n -> ((ObjectNode) n.get("settings")).put("students", 3)));
        refused("the record's students must be listed by index", edit(n -> student(n, 1).put("index", 0)));
        refused("the record's test images must be between 1 and the split's size",
                edit(n -> ((ObjectNode) n.get("testSet")).put("images", 0)));
        refused("the record's clean accuracy must be a percentage", edit(n -> student(n, 0).put("cleanAccuracy", 101)));
        refused("the record's accuracy must be a percentage", edit(n -> attack(n, 1).put("accuracy", -1)));
        refused("the record's robust accuracy must be a percentage",
                edit(n -> ((ObjectNode) n.get("metrics").get("untargeted")).put("robustAccuracy", 100.5)));
        refused("an interval in the record must have low <= high", edit(n -> ((ObjectNode) n.get("metrics")
                .get("untargeted").get("creiInterval")).put("low", 56)));
        refused("every attack in the record needs its name and a known mode", edit(n -> attack(n, 0).put("mode", "x")));
    }

    @Test
    void refusesPerImageArraysOfAnotherLength() {
        refused("per-image clean predictions must have one entry per test image",
                edit(n -> ((ArrayNode) student(n, 0).get("cleanPredictions")).add(1)));
        refused("clean predictions must be classes of the dataset",
                edit(n -> ((ArrayNode) student(n, 0).get("cleanPredictions")).set(0, 10)));
        refused("per-image adversarial predictions must have one entry per test image",
                edit(n -> ((ArrayNode) perImage(n).get("prediction")).remove(0)));
        refused("per-image correct must have one entry per test image", edit(n -> perImage(n).put("correct", "10")));
        refused("per-image correctness must be a string of 0 and 1", edit(n -> perImage(n).put("correct", "1x00")));
        refused("per-image passes must have one entry per test image",
                edit(n -> ((ArrayNode) perImage(n).get("passes")).add(3)));
        refused("per-image passes must not be negative", edit(n -> ((ArrayNode) perImage(n).get("passes")).set(0, -1)));
        refused("per-image norm must have one entry per test image",
                edit(n -> ((ArrayNode) perImage(n).get("norm")).add(1.0)));
        refused("per-image norms must be finite and not negative",
                edit(n -> ((ArrayNode) perImage(n).get("norm")).set(0, -0.5)));
        refused("per-image results need prediction, correct and passes", edit(n -> perImage(n).putNull("passes")));
    }

    private static ObjectNode student(ObjectNode root, int index) {
        return (ObjectNode) root.get("students").get(index);
    }

    private static ObjectNode attack(ObjectNode root, int index) {
        return (ObjectNode) student(root, 0).get("attacks").get(index);
    }

    /** DeepFool's per-image results on the first student: the one attack with norms. */
    private static ObjectNode perImage(ObjectNode root) {
        return (ObjectNode) attack(root, 1).get("perImage");
    }

    private static String edit(Consumer<ObjectNode> change) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(bytes(sample()));
            change.accept(root);
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void refused(String message, String json) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> read(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(message, e.getMessage());
    }
}
