package dev.bristle.ml.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.bristle.input.InvalidInputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A file of compact {@link EvaluationRecord}s with a description of what it holds: the board file
 * {@code leaderboards/bristle-measured.json} that {@code ./bristle score --record} and {@code ./bristle evaluate
 * --record} write and the app imports at start-up. Numbers only: never per-image data.
 */
public record RecordFile(String description, List<EvaluationRecord> records) {

    public static RecordFile read(InputStream in) throws IOException {
        RecordFile file;
        try {
            file = RecordJson.MAPPER.readValue(in, RecordFile.class);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("not a record file: " + EvaluationRecords.shape(e));
        }
        if (file.records() == null) throw new InvalidInputException("a record file needs its records");
        for (EvaluationRecord record : file.records()) {
            EvaluationRecords.validate(record);
            if (record.subject().method() == null || record.subject().ipc() == 0) {
                throw new InvalidInputException("a record file's records need their method and images per class");
            }
            if (!EvaluationRecords.isCompact(record)) {
                throw new InvalidInputException("a record file keeps compact records: no per-image data");
            }
        }
        return file;
    }

    /** What identifies a record in its file: a later run of the same board and method replaces it. */
    public static String key(EvaluationRecord record) {
        return record.subject().datasetName() + "|" + record.subject().ipc() + "|" + record.settings().protocol()
                + "|" + record.subject().recipe() + "|" + record.subject().method();
    }

    /**
     * Adds {@code record}, compacted, to {@code file} (created with {@code description} when missing), replacing a
     * record with the same key.
     */
    public static void upsert(Path file, EvaluationRecord record, String description) throws IOException {
        if (record.subject().method() == null || record.subject().ipc() == 0) {
            throw new InvalidInputException("a record goes on a board by its method and images per class");
        }
        List<EvaluationRecord> records = new ArrayList<>();
        String text = description;
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                RecordFile existing = read(in);
                text = existing.description();
                existing.records().stream().filter(r -> !key(r).equals(key(record))).forEach(records::add);
            }
        }
        records.add(EvaluationRecords.compact(record));
        records.sort(Comparator.comparing((EvaluationRecord r) -> r.subject().datasetName())
                .thenComparing(r -> r.subject().ipc()).thenComparing(r -> r.subject().recipe())
                .thenComparing(r -> r.subject().method()));
        RecordJson.MAPPER.writeValue(file.toFile(), new RecordFile(text, records));
    }
}
