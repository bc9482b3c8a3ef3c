package dev.bristle.files;

import dev.bristle.config.BristleConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * Deletes at start-up the temporary files a killed process left: an upload's spooled body
 * ({@code quarkus.http.body.uploads-directory}, under {@code bristle.home}) and Bristle's own partial files. In this
 * instance's folders ({@code bristle.home}) every file from before this process started is stale; the pool folders
 * (uploads being checked, pictures being rendered, students being stored) may be shared by instances, so there a
 * partial file is stale once untouched for {@link #SHARED_STALE}.
 */
@ApplicationScoped
public class StaleTemporaries {

    private static final Logger LOG = Logger.getLogger(StaleTemporaries.class);
    /** Longer than any upload takes to be checked and moved into place. */
    static final Duration SHARED_STALE = Duration.ofHours(1);

    @Inject
    BristleConfig config;

    @ConfigProperty(name = "quarkus.http.body.uploads-directory")
    Path uploads;

    void onStart(@Observes StartupEvent event) {
        int deleted = sweep(Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()), Instant.now());
        if (deleted > 0) LOG.infof("deleted %d stale temporary file(s) a stopped process left", deleted);
    }

    /**
     * Deletes this instance's temporary files last written before {@code processStart}, and the shared pool folders'
     * partial files last written {@link #SHARED_STALE} before {@code now}.
     *
     * @return how many files were deleted
     */
    public int sweep(Instant processStart, Instant now) {
        int deleted = 0;
        for (Path own : List.of(uploads, ownTemporaries(config))) deleted += delete(own, "*", processStart);
        deleted += delete(config.home().resolve("blob-cache"), "blob-*.part", processStart);
        for (Path shared : List.of(config.datasetPoolDir(), config.trainedModelDir())) {
            deleted += delete(shared, "*.part", now.minus(SHARED_STALE));
        }
        return deleted;
    }

    /** This instance's folder for Bristle's own temporary files (a distilled set before it enters the pool). */
    public static Path ownTemporaries(BristleConfig config) {
        return config.home().resolve("tmp");
    }

    /**
     * Deletes a partial file its writer is done with, logging rather than failing when it cannot: a file left
     * behind is swept as stale at a later start.
     */
    public static void deleteQuietly(Path file) {
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("could not delete %s: %s", file, e.getMessage());
        }
    }

    /** The files under {@code directory} whose names match {@code glob}, last written before the cutoff. */
    private static int delete(Path directory, String glob, Instant writtenBefore) {
        if (!Files.isDirectory(directory)) return 0;
        int deleted = 0;
        try (Stream<Path> files = Files.walk(directory)) {
            var matcher = directory.getFileSystem().getPathMatcher("glob:" + glob);
            for (Path file : files.filter(f -> matcher.matches(f.getFileName())).toList()) {
                try {
                    if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                            || !Files.getLastModifiedTime(file).toInstant().isBefore(writtenBefore)) continue;
                    if (Files.deleteIfExists(file)) deleted++;
                } catch (IOException e) {
                    LOG.warnf("could not delete the stale temporary file %s: %s", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warnf("could not list %s for stale temporary files: %s", directory, e.getMessage());
        }
        return deleted;
    }
}
