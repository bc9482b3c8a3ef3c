package dev.bristle.config;

import dev.bristle.ml.SharedData;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tests read the shared data through the configuration and keep what they write under target/. */
@QuarkusTest
class BristleConfigTest {

    @Inject
    BristleConfig config;

    @Test
    void testProfilePointsAtTheSharedData() throws IOException {
        Path shared = SharedData.folder();
        assertEquals(shared.resolve("data"), config.dataDir());
        assertTrue(Files.isRegularFile(config.dataDir().resolve("SOURCES.md")), config.dataDir().toString());
        assertEquals(shared.resolve("beard/model-pool"), config.modelPoolDir());
        try (Stream<Path> students = Files.list(config.modelPoolDir())) {
            assertTrue(students.anyMatch(p -> p.toString().endsWith(".pth")), "BEARD's students are there");
        }
    }

    @Test
    void testsWriteTheirPoolsUnderTarget() {
        // uploads and trained students of tests must never land in a user's bristle.home
        assertEquals(Path.of("target/test-dataset-pool"), config.datasetPoolDir());
        assertEquals(Path.of("target/test-trained-models"), config.trainedModelDir());
    }
}
