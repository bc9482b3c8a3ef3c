package dev.bristle.leaderboard;

import dev.bristle.keys.Keyed;


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
}
