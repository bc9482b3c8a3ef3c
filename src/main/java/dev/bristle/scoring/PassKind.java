package dev.bristle.scoring;

import dev.bristle.keys.Keyed;

import java.util.Locale;

/** The two kinds of work whose pass rates differ: training (weight gradients, the optimizer) and attacks. */
public enum PassKind implements Keyed {
    TRAINING,
    ATTACKS;

    @Override
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PassKind fromKey(String key) {
        return Keyed.fromKey(PassKind.class, key).orElseThrow(() -> new IllegalArgumentException("unknown kind of"
                + " passes '" + key + "' (expected training or attacks)"));
    }
}
