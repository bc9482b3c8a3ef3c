package dev.bristle.ml.verify;

import dev.bristle.input.InvalidInputException;

import java.util.ArrayList;
import java.util.List;

/**
 * Verifies a submitted bundle by recomputing what the submitter cannot predict: one entry point per check, so a server
 * can run each as a task of its own and keep its outcome as evidence, and {@link #runAll} for the command line. A
 * check that meets an unreadable part of the bundle (a state dict or set the safe readers refuse) fails with that
 * reason rather than throwing.
 */
public final class Verifier {

    /** Runs {@code check} on {@code bundle}; the outcome's seconds are the check's wall time. */
    public CheckOutcome run(VerificationCheck check, Bundle bundle, VerificationContext context) {
        long began = System.nanoTime();
        CheckOutcome outcome;
        try {
            outcome = switch (check) {
                case INTEGRITY -> IntegrityCheck.run(bundle, context);
                case CLEAN_PREDICTIONS -> CleanPredictionsCheck.run(bundle, context);
                case SAMPLED_ATTACKS -> SampledAttacksCheck.run(bundle, context);
                case TRAINING -> TrainingCheck.run(bundle, context);
                case ARITHMETIC -> ArithmeticCheck.run(bundle, context);
            };
        } catch (InvalidInputException e) {
            outcome = new CheckOutcome(check, false, e.getMessage(), 0, null, null, List.of(), null, 0);
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        return new CheckOutcome(outcome.check(), outcome.passed(), outcome.summary(), outcome.images(),
                outcome.agreement(), outcome.bound(), outcome.attacks(), outcome.drawSeed(), seconds);
    }

    /** Every check in order ({@link VerificationCheck#values()}). */
    public List<CheckOutcome> runAll(Bundle bundle, VerificationContext context) {
        List<CheckOutcome> outcomes = new ArrayList<>();
        for (VerificationCheck check : VerificationCheck.values()) {
            if (context.listener().cancelled()) break;
            outcomes.add(run(check, bundle, context));
        }
        return outcomes;
    }
}
