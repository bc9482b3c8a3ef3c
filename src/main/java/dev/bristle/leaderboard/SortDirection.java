package dev.bristle.leaderboard;

import dev.bristle.keys.Keyed;

import java.util.Optional;

/** The order a board's column is sorted in, as the {@code dir} query parameter names it. */
public enum SortDirection implements Keyed {
    ASC, DESC;

    @Override
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public SortDirection flip() {
        return this == ASC ? DESC : ASC;
    }

    public static Optional<SortDirection> fromKey(String key) {
        return Keyed.fromKey(SortDirection.class, key);
    }
}
