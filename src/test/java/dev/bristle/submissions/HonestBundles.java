package dev.bristle.submissions;

import dev.bristle.cli.TestCli;
import dev.bristle.ml.SharedData;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An honest submission bundle, made as a submitter makes one: a random subset of Fashion-MNIST at IPC 10 scored by
 * {@code ./bristle score --bundle} (in this JVM) at the official settings as {@link ScaledOfficialFashionMnist}
 * scales them, which the command line reads from system properties.
 */
public final class HonestBundles {

    private HonestBundles() {
    }

    /** The bundle {@code dir/honest-METHOD.zip}, its set distilled with {@code seed}. */
    public static Path make(Path dir, String method, int seed) {
        Map<String, String> scale = new ScaledOfficialFashionMnist().getConfigOverrides();
        scale.forEach((key, value) -> {
            if (key.startsWith("bristle.official.")) System.setProperty(key, value);
        });
        try {
            String data = SharedData.datasets().toString();
            Path set = dir.resolve("fm-random-10-" + seed + ".npz");
            TestCli.Run distilled = TestCli.run("distill", "--method", "random", "--dataset", "fashion-mnist", "--ipc",
                    "10", "--data", data, "--seed", String.valueOf(seed), "--out", set.toString());
            assertEquals(0, distilled.exitCode(), distilled.err());
            Path bundle = dir.resolve("honest-" + method + ".zip");
            TestCli.Run scored = TestCli.run("score", "--file", set.toString(), "--dataset", "fashion-mnist", "--ipc",
                    "10", "--method", method, "--protocol", "sound", "--data", data, "--bundle", bundle.toString());
            assertEquals(0, scored.exitCode(), scored.err());
            return bundle;
        } finally {
            scale.keySet().forEach(System::clearProperty);
        }
    }
}
