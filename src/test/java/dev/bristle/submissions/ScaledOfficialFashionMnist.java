package dev.bristle.submissions;

import dev.bristle.ml.SharedData;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The official settings scaled down by the test-only {@code bristle.official.*} settings (one student, a few epochs,
 * the first 100 test images, FGSM and PGD untargeted) and Debian's Fashion-MNIST files as the data folder: a
 * bundle made with these settings is an official run here, verified in seconds through the same code path.
 */
public class ScaledOfficialFashionMnist implements QuarkusTestProfile {

    public static final int STUDENTS = 1;
    public static final int EPOCHS = 3;
    public static final int TEST_IMAGES = 100;
    public static final String ATTACKS = "FGSM,PGD";
    public static final String MODES = "untargeted";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("bristle.data-dir", SharedData.datasets().toString(),
                "bristle.official.students", String.valueOf(STUDENTS),
                "bristle.official.epochs", String.valueOf(EPOCHS),
                "bristle.official.test-images", String.valueOf(TEST_IMAGES),
                "bristle.official.attacks", ATTACKS,
                "bristle.official.modes", MODES,
                "bristle.verification.sample-per-cell", "20");
    }
}
