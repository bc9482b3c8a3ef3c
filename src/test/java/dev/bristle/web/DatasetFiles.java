package dev.bristle.web;

import java.nio.file.Path;

/** DC's distilled CIFAR-10 sets in the shared test data. */
final class DatasetFiles {

    private DatasetFiles() {
    }

    static Path dc(int ipc) {
        return Path.of(System.getProperty("shared.dir", "../shared"), "data", "distilled", "DC",
                "res_DC_CIFAR10_ConvNet_" + ipc + "ipc.pt");
    }
}
