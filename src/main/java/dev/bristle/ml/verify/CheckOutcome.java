package dev.bristle.ml.verify;

import java.util.List;

/**
 * What one verification check found, kept as evidence.
 *
 * @param passed    whether the bundle passed the check
 * @param summary   the finding in a sentence or two, with its figures (never a server path)
 * @param images    test images the check computed on (0 for checks that compute nothing)
 * @param agreement the share that agreed with the record (clean predictions, sampled attacks); null where the
 *                  check has none
 * @param bound     the bound the check compares with: the least clean agreement, the honest rate of "fooled
 *                  here", the training tolerance in points; null where none applies
 * @param attacks   per student, attack and mode, the sampled attacks' agreement; empty for the other checks
 * @param drawSeed  the secret seed the check drew its sample or student with, revealed once it is done; null for
 *                  checks that draw nothing
 * @param seconds   wall time of the check
 */
public record CheckOutcome(VerificationCheck check, boolean passed, String summary, int images, Double agreement,
                           Double bound, List<AttackAgreement> attacks, Long drawSeed, double seconds) {

    public CheckOutcome {
        attacks = attacks == null ? List.of() : List.copyOf(attacks);
    }
}
