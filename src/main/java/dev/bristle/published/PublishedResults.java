package dev.bristle.published;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.bristle.input.InvalidInputException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * BEARD's published results as the project keeps them in {@code leaderboards/}: the leaderboard rows, the paper's
 * tables and the evaluation logs, each file with its provenance. The build copies the folder onto the classpath.
 */
public record PublishedResults(LeaderboardFile leaderboard, PaperTablesFile paperTables, LogsFile logs) {

    public static final String LEADERBOARD_FILE = "beard-leaderboard.json";
    public static final String PAPER_TABLES_FILE = "beard-paper-tables.json";
    public static final String LOGS_FILE = "beard-logs.json";

    public record LeaderboardFile(PublishedSource source, List<PublishedEntry> entries) {
    }

    public record PaperTablesFile(PublishedSource source, List<PaperValue> values) {
    }

    public record LogsFile(PublishedSource source, List<LoggedRun> runs) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** The files the build put on the classpath under {@code leaderboards/}. */
    public static PublishedResults fromClasspath() {
        return new PublishedResults(
                readResource(LEADERBOARD_FILE, LeaderboardFile.class),
                readResource(PAPER_TABLES_FILE, PaperTablesFile.class),
                readResource(LOGS_FILE, LogsFile.class));
    }

    /** The files of a {@code leaderboards/} folder, for example an edited copy. */
    public static PublishedResults fromDirectory(Path directory) {
        return new PublishedResults(
                readFile(directory.resolve(LEADERBOARD_FILE), LeaderboardFile.class),
                readFile(directory.resolve(PAPER_TABLES_FILE), PaperTablesFile.class),
                readFile(directory.resolve(LOGS_FILE), LogsFile.class));
    }

    private static <T> T readResource(String name, Class<T> type) {
        String path = "leaderboards/" + name;
        try (InputStream in = PublishedResults.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("published results missing from the classpath: " + path);
            }
            return JSON.readValue(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static <T> T readFile(Path file, Class<T> type) {
        try (InputStream in = Files.newInputStream(file)) {
            return JSON.readValue(in, type);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("no such file: " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
