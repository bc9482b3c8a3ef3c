package dev.bristle.files;

import dev.bristle.config.BristleConfig;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a process killed mid-upload leaves is deleted at the next start: the spooled body and Bristle's partial files
 * from before the process started; in the dataset pool's shared folder, a partial file once untouched for an hour.
 */
@QuarkusTest
class StaleTemporariesTest {

    @Inject
    StaleTemporaries temporaries;

    @Inject
    BristleConfig config;

    @ConfigProperty(name = "quarkus.http.body.uploads-directory")
    Path uploads;

    @Test
    void uploadsAreSpooledUnderThisInstancesHome() {
        assertTrue(uploads.toAbsolutePath().normalize().startsWith(config.home().toAbsolutePath().normalize()),
                "not a /tmp other programs share: " + uploads);
    }

    @Test
    void filesAKilledProcessLeftAreDeletedAndFilesInUseKept() throws Exception {
        Instant start = Instant.now();
        Path spooled = plant(uploads.resolve("3f2a9c1e-killed-mid-upload"), start.minus(Duration.ofMinutes(1)));
        Path distilled = plant(StaleTemporaries.ownTemporaries(config).resolve("distilled-1.npz"),
                start.minus(Duration.ofDays(2)));
        Path cached = plant(config.home().resolve("blob-cache/datasets/ab/blob-7.part"), start.minus(Duration.ofHours(3)));
        Path sharedStale = plant(config.datasetPoolDir().resolve("tmp/upload-1.part"), start.minus(Duration.ofHours(2)));
        Path picture = plant(config.datasetPoolDir().resolve("grids/grid-9.part"), start.minus(Duration.ofHours(2)));
        Path student = plant(config.trainedModelDir().resolve("student-4.part"), start.minus(Duration.ofDays(1)));
        // Another instance sharing the pool folder may be checking this one right now.
        Path sharedInUse = plant(config.datasetPoolDir().resolve("tmp/upload-2.part"),
                start.minus(Duration.ofMinutes(5)));
        // Written by this process: in use.
        Path ownInUse = plant(uploads.resolve("5b7d-in-flight"), start.plusSeconds(1));
        try {
            // At least the six planted: another run's leftovers in the pool folders go too.
            int deleted = temporaries.sweep(start, start.plusSeconds(2));
            assertTrue(deleted >= 6, deleted + " deleted");
            for (Path gone : List.of(spooled, distilled, cached, sharedStale, picture, student)) {
                assertFalse(Files.exists(gone), gone::toString);
            }
            for (Path kept : List.of(sharedInUse, ownInUse)) assertTrue(Files.exists(kept), kept::toString);
        } finally {
            for (Path planted : List.of(spooled, distilled, cached, sharedStale, picture, student, sharedInUse,
                    ownInUse)) {
                Files.deleteIfExists(planted);
            }
        }
    }

    private static Path plant(Path file, Instant written) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[1024]);
        Files.setLastModifiedTime(file, FileTime.from(written));
        return file;
    }
}
