package dev.bristle.ml;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared test data, the folder Surefire passes as {@code shared.dir} (../shared beside the checkout), and
 * Debian's datasets: the one place tests and benchmarks look them up.
 */
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

    /** The shared data folder itself, as given (relative to the module unless {@code shared.dir} is absolute). */
    public static Path folder() {
        Path folder = Path.of(System.getProperty("shared.dir", "../shared"));
        if (!Files.isDirectory(folder)) {
            throw new IllegalStateException("shared test data folder " + folder + " is missing (set -Dshared.dir)");
        }
        return folder;
    }

    /** A file or folder in the shared data, which must exist. */
    public static Path path(String relative) {
        Path file = folder().resolve(relative);
        if (!Files.exists(file)) {
            throw new IllegalStateException("shared test data " + file + " is missing (set -Dshared.dir)");
        }
        return file;
    }

    /** DC's distilled CIFAR-10 set at {@code ipc} images per class (1 or 10), as its authors published it. */
    public static Path dcCifar10(int ipc) {
        return path("data/distilled/DC/res_DC_CIFAR10_ConvNet_" + ipc + "ipc.pt");
    }
}
