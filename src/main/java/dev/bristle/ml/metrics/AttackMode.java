package dev.bristle.ml.metrics;

import java.util.Arrays;
import java.util.Locale;

/** Whether an attack aims at a chosen wrong label (targeted) or at any wrong label (untargeted). */
public enum AttackMode {
    TARGETED, UNTARGETED;

    /** The lower-case name used in URLs, files and JSON. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AttackMode fromKey(String key) {
        return Arrays.stream(values())
                .filter(m -> m.key().equalsIgnoreCase(key))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown attack mode '" + key + "' (expected targeted or untargeted)"));
    }
}
