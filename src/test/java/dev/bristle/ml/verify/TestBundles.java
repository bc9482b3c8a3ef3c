package dev.bristle.ml.verify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bundles made without training for tests outside this package (the server's submissions): {@link SyntheticBundle}'s
 * honest bundle of a set whose bytes depend on {@code variant}, so each variant is another set and another bundle.
 * The reader accepts them; the integrity check on a real test split refuses them (40 synthetic test images).
 */
public final class TestBundles {

    private TestBundles() {
    }

    public static Path synthetic(Path dir, int variant) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("synthetic-" + variant));
        Path set = folder.resolve("fm-set.npz");
        Files.write(set, ("synthetic set " + variant).getBytes(StandardCharsets.UTF_8));
        Path out = folder.resolve("bundle.zip");
        BundleWriter.write(out, SyntheticBundle.record(set, 0), set, "mean-std", SyntheticBundle.students());
        return out;
    }
}
