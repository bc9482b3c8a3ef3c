package dev.bristle.submissions;

import dev.bristle.ml.verify.CheckOutcome;
import dev.bristle.text.ServerPaths;

import java.time.Instant;
import java.util.List;

/**
 * A submission as its page and JSON twin show it.
 *
 * @param state    received, verifying, verified, failed or cancelled
 * @param review   once verified: its entry's review (pending, approved or rejected); null before
 * @param drawSeed the seed of the server's sample, null until verification has ended
 * @param entries  the board entries it made (addresses of their pages)
 */
public record SubmissionView(long id, String url, String submittedBy, String fileName, String sha256, long sizeBytes,
                             String state, String review, String dataset, int ipc, String method, String protocol,
                             String recipe, String setSha256, Long drawSeed, String error, Instant createdAt,
                             Instant updatedAt, List<CheckView> checks, List<String> entries) {

    /**
     * One check: its state as work (queued, running, succeeded: it ran to its end, failed: it could not run), its
     * outcome once it ran (passed or not, with its figures), its progress while it runs.
     */
    public record CheckView(String check, String state, Boolean passed, int progressDone, int progressTotal,
                            String progressLabel, int attempts, Double seconds, CheckOutcome outcome, String error) {

        static CheckView of(VerificationCheckRow row, CheckOutcome outcome) {
            return new CheckView(row.checkKey, row.state.name().toLowerCase(java.util.Locale.ROOT), row.passed,
                    row.progressDone, row.progressTotal, row.progressLabel, row.attempts, row.seconds, outcome,
                    ServerPaths.hide(row.errorMessage));
        }

        /** What the pages say of it: queued, running, passed, failed (refused the bundle), not run, or error. */
        public String verdict() {
            return switch (state) {
                case "succeeded" -> Boolean.TRUE.equals(passed) ? "passed" : "failed";
                case "cancelled" -> "not run";
                case "failed" -> "error";
                default -> state;
            };
        }

        /** Whether it ran to its end and failed: the check that refused the bundle. */
        public boolean refused() {
            return Boolean.FALSE.equals(passed);
        }
    }

    public boolean ended() {
        return SubmissionState.fromKey(state).ended();
    }

    /** The check that refused the bundle, if one did. */
    public CheckView failedCheck() {
        return checks.stream().filter(CheckView::refused).findFirst().orElse(null);
    }
}
