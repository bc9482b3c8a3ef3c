package dev.bristle.leaderboard;

import dev.bristle.keys.Keyed;

import java.util.Locale;

/** Whether a board row takes part in the ranking. */
public enum EntryStatus implements Keyed {
    /** Published by BEARD, or measured with its protocol's official settings: comparable with its neighbours. */
    RANKED,
    /** Measured with other settings (fewer students, epochs or images, a re-encoded test set...): listed apart. */
    PRELIMINARY;

    /** The lower-case name used in the database, URLs and JSON. */
    @Override
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EntryStatus fromKey(String key) {
        return Keyed.fromKey(EntryStatus.class, key)
                .orElseThrow(() -> new IllegalArgumentException("unknown entry status '" + key
                        + "' (expected ranked or preliminary)"));
    }
}
