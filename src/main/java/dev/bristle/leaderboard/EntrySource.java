package dev.bristle.leaderboard;

/** Where a leaderboard number comes from. */
public enum EntrySource {
    /** BEARD's published leaderboards and paper, loaded at start-up. */
    PUBLISHED,
    /** Computed by Bristle from its own evaluation runs. */
    MEASURED
}
