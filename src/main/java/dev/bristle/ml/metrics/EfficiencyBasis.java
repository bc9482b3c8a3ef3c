package dev.bristle.ml.metrics;

import dev.bristle.input.InvalidInputException;
import dev.bristle.keys.Keyed;

import java.util.Locale;

/**
 * What AE measures an attack's cost in. BEARD uses wall time, which depends on the machine; model passes per image
 * (forward plus backward, the scoring pass included) give the same AE on any hardware.
 */
public enum EfficiencyBasis implements Keyed {
    /** Seconds of the whole pass over the test images (BEARD's AE). */
    WALL_TIME("s"),
    /** Model passes (forward + backward) per image, the scoring pass included: 1 for the clean pass. */
    MODEL_PASSES("passes per image");

    private final String unit;

    EfficiencyBasis(String unit) {
        this.unit = unit;
    }

    /** The cost's unit, for formulas shown to readers. */
    public String unit() {
        return unit;
    }

    /** {@code measurement}'s cost on this basis, or null where it was not recorded. */
    public Double cost(Measurement measurement) {
        return this == WALL_TIME ? measurement.seconds() : measurement.passes();
    }

    @Override
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static EfficiencyBasis fromKey(String key) {
        return Keyed.fromKey(EfficiencyBasis.class, key)
                .orElseThrow(() -> new InvalidInputException("unknown efficiency basis '" + key
                        + "' (expected wall-time or model-passes)"));
    }
}
