package dev.bristle.ml.metrics;

import dev.bristle.input.InvalidInputException;
import dev.bristle.keys.Keyed;

import java.util.Locale;

/** Whether an attack aims at a chosen wrong label (targeted) or at any wrong label (untargeted). */
public enum AttackMode implements Keyed {
    TARGETED, UNTARGETED;

    /** The lower-case name used in URLs, files and JSON. */
    @Override
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AttackMode fromKey(String key) {
        return Keyed.fromKey(AttackMode.class, key)
                .orElseThrow(() -> new InvalidInputException(
                        "unknown attack mode '" + key + "' (expected targeted or untargeted)"));
    }
}
