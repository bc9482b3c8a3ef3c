package dev.bristle.leaderboard;

import dev.bristle.keys.Keyed;

import java.util.List;
import java.util.Optional;

/** Images per class of a leaderboard; {@link #ALL} is the "Unified" board, all IPCs pooled. */
public enum Ipc implements Keyed {
    ONE("1", "IPC 1"),
    TEN("10", "IPC 10"),
    FIFTY("50", "IPC 50"),
    ALL("all", "Unified");

    /** The IPCs a unified value pools. */
    public static final List<Ipc> POOLED = List.of(ONE, TEN, FIFTY);

    private final String key;
    private final String label;

    Ipc(String key, String label) {
        this.key = key;
        this.label = label;
    }

    /** As URLs, files and the database write it: "1", "10", "50" or "all". */
    @Override
    public String key() {
        return key;
    }

    public String label() {
        return label;
    }

    public static Optional<Ipc> fromKey(String key) {
        return Keyed.fromKey(Ipc.class, key);
    }
}
