package dev.bristle.ml.verify;

import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.score.OfficialSettings;
import dev.bristle.ml.score.ScoringPipeline;
import dev.bristle.ml.score.TestSets;

/**
 * What a verifying server brings to a bundle: its own official settings and test split, its secret draw.
 *
 * @param official       the protocol's official settings as this server applies them (scaled only in tests)
 * @param testSet        the dataset's test split as read here (the official files)
 * @param testSetSha256  SHA-256 of the test file(s) as read here; null when not known (then not compared)
 * @param drawSeed       the secret seed of every draw (students, images), revealed only after the check
 * @param samplePerCell  images attacked per drawn student, attack and mode (default 100)
 * @param studentsDrawn  students whose attacks are re-run (default 2)
 * @param bounds         the bounds of the checks
 * @param device         compute device setting: auto, cpu or gpu
 * @param listener       told of progress; asked whether to stop
 */
public record VerificationContext(OfficialSettings official, TestSets.TestSet testSet, String testSetSha256,
                                  long drawSeed, int samplePerCell, int studentsDrawn, VerificationBounds bounds,
                                  String device, ScoringPipeline.Listener listener) {

    public static final int DEFAULT_SAMPLE = 100;
    public static final int DEFAULT_STUDENTS_DRAWN = 2;

    public VerificationContext {
        if (samplePerCell < 1) throw new InvalidInputException("the sample per cell must be positive");
        if (studentsDrawn < 1) throw new InvalidInputException("the students drawn must be positive");
        if (official == null || testSet == null || bounds == null || device == null || listener == null) {
            throw new IllegalArgumentException("official settings, test set, bounds, device and listener are required");
        }
    }
}
