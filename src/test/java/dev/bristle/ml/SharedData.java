package dev.bristle.ml;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared test data folder that Surefire passes as {@code bristle.shared}. */
public final class SharedData {

    private SharedData() {
    }

    public static Path path(String relative) {
        Path file = Path.of(System.getProperty("bristle.shared", "../shared")).resolve(relative);
        if (!Files.exists(file)) {
            throw new IllegalStateException("shared test data " + file + " is missing (set -Dbristle.shared)");
        }
        return file;
    }
}
