package dev.bristle.leaderboard;

import dev.bristle.keys.Keyed;

import java.util.function.Function;

/** The numeric columns a leaderboard can be sorted by; missing values always sort last. */
public enum SortColumn implements Keyed {
    CREI("crei", "CREI", e -> e.crei),
    RRM("rrm", "RRM", e -> e.rrm),
    AEM("aem", "AEM", e -> e.aem),
    CLEAN("clean", "Clean acc.", e -> e.cleanAccuracy);

    private final String key;
    private final String label;
    private final Function<LeaderboardEntry, Double> value;

    SortColumn(String key, String label, Function<LeaderboardEntry, Double> value) {
        this.key = key;
        this.label = label;
        this.value = value;
    }

    @Override
    public String key() {
        return key;
    }

    public String label() {
        return label;
    }

    Double read(LeaderboardEntry entry) {
        return value.apply(entry);
    }
}
