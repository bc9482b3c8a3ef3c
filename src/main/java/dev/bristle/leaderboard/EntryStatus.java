package dev.bristle.leaderboard;

import java.util.Arrays;
import java.util.Locale;

/** Whether a board row takes part in the ranking. */
public enum EntryStatus {
    /** Published by BEARD, or measured with its protocol's official settings: comparable with its neighbours. */
    RANKED,
    /** Measured with other settings (fewer students, epochs or images, a re-encoded test set...): listed apart. */
    PRELIMINARY;

    /** The lower-case name used in the database, URLs and JSON. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EntryStatus fromKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key().equalsIgnoreCase(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown entry status '" + key
                        + "' (expected ranked or preliminary)"));
    }
}
