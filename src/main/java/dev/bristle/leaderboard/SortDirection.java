package dev.bristle.leaderboard;

import java.util.Arrays;
import java.util.Optional;

public enum SortDirection {
    ASC, DESC;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public SortDirection flip() {
        return this == ASC ? DESC : ASC;
    }

    public static Optional<SortDirection> fromKey(String key) {
        return Arrays.stream(values()).filter(d -> d.key().equalsIgnoreCase(key)).findFirst();
    }
}
