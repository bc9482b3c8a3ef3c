package dev.bristle.submissions;

import dev.bristle.keys.Keyed;

import java.util.Locale;

/** Where a submission is in its verification; its entry's review (pending, approved, rejected) follows VERIFIED. */
public enum SubmissionState implements Keyed {
    /** Stored; no check has started yet. */
    RECEIVED,
    /** Its checks are running, one after the other. */
    VERIFYING,
    /** Every check passed: its entry is on its board, or waits for review. */
    VERIFIED,
    /** A check failed (its figures say why), or could not be run: no entry. */
    FAILED,
    /** Cancelled by its submitter or a maintainer before verification ended: no entry. */
    CANCELLED;

    @Override
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean ended() {
        return this == VERIFIED || this == FAILED || this == CANCELLED;
    }

    public static SubmissionState fromKey(String key) {
        return Keyed.fromKey(SubmissionState.class, key)
                .orElseThrow(() -> new IllegalArgumentException("unknown submission state '" + key + "'"));
    }
}
