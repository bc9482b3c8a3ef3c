package dev.bristle.ml.record;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/record.md describes every field of the evaluation record: it names each component of each of its records. */
class RecordDocTest {

    @Test
    void theDocNamesEveryComponentOfEveryRecord() throws IOException {
        String doc = Files.readString(Path.of("docs/record.md"));
        List<String> missing = new ArrayList<>();
        List<Class<?>> types = new ArrayList<>(List.of(EvaluationRecord.class));
        Stream.of(EvaluationRecord.class.getDeclaredClasses()).filter(Class::isRecord).forEach(types::add);
        assertTrue(types.size() > 10, "the record's nested records are found: " + types);
        for (Class<?> type : types) {
            for (RecordComponent component : type.getRecordComponents()) {
                if (!doc.contains("`" + component.getName() + "`")) {
                    missing.add(type.getSimpleName() + "." + component.getName());
                }
            }
        }
        assertTrue(missing.isEmpty(), "docs/record.md does not name " + missing);
    }
}
