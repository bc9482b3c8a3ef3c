package dev.bristle.ml;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared test data folder that Surefire passes as {@code shared.dir}, and Debian's datasets. */
public final class SharedData {

    private SharedData() {
    }

    /**
     * The data directory of Debian's dataset packages that Surefire passes as {@code datasets.dir}
     * ({@code /usr/share/datasets}; {@code .ci/run} installs {@code dataset-fashion-mnist} there).
     */
    public static Path datasets() {
        Path folder = Path.of(System.getProperty("datasets.dir", "/usr/share/datasets"));
        if (!Files.isDirectory(folder.resolve("fashion-mnist"))) {
            throw new IllegalStateException(folder.resolve("fashion-mnist") + " is missing: install Debian's"
                    + " dataset-fashion-mnist or set -Ddatasets.dir");
        }
        return folder;
    }

    public static Path path(String relative) {
        Path file = Path.of(System.getProperty("shared.dir", "../shared")).resolve(relative);
        if (!Files.exists(file)) {
            throw new IllegalStateException("shared test data " + file + " is missing (set -Dshared.dir)");
        }
        return file;
    }
}
