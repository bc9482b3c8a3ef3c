package dev.bristle.ml.verify;

import dev.bristle.input.InvalidInputException;

/**
 * The bounds a bundle's recomputed parts are held to, set from what two honest runs of the same bundle on other
 * thread counts give (docs/verification.md says how they were measured).
 *
 * @param cleanAgreement     least share of test images whose clean prediction here must equal the record's, per student
 * @param honestFooledRate   the rate p0 at which an image the record calls robust is fooled by the attack here in an
 *                           honest re-run (random starts and float differences)
 * @param significance       level of the one-sided binomial test of "fooled here" against p0, per cell
 *                           (Bonferroni-corrected over the cells) and pooled
 * @param trainingTolerance  largest difference, in points, between the re-trained student's clean accuracy and the
 *                           submitted one's
 * @param arithmeticTolerance largest difference between a recomputed figure and the record's (points)
 */
public record VerificationBounds(double cleanAgreement, double honestFooledRate, double significance,
                                 double trainingTolerance, double arithmeticTolerance) {

    /** The bounds measured on this machine (docs/verification.md). */
    public static final VerificationBounds DEFAULT = new VerificationBounds(0.995, 0.03, 0.001, 3.0, 1e-6);

    public VerificationBounds {
        if (!(cleanAgreement > 0 && cleanAgreement <= 1)) {
            throw new InvalidInputException("the clean agreement bound must be in (0, 1]");
        }
        if (!(honestFooledRate >= 0 && honestFooledRate < 1)) {
            throw new InvalidInputException("the honest fooled rate must be in [0, 1)");
        }
        if (!(significance > 0 && significance < 1)) throw new InvalidInputException("significance must be in (0, 1)");
        if (!(trainingTolerance >= 0)) throw new InvalidInputException("the training tolerance must be >= 0");
        if (!(arithmeticTolerance >= 0)) throw new InvalidInputException("the arithmetic tolerance must be >= 0");
    }
}
