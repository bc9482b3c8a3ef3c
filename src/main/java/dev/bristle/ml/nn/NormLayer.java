package dev.bristle.ml.nn;

import dev.bristle.input.InvalidInputException;

import java.util.Locale;

/** The normalization layer after each convolution, named as BEARD's {@code --net_norm} option names it. */
public enum NormLayer {
    /** GroupNorm with one group per channel, affine: BEARD's default. */
    INSTANCENORM,
    BATCHNORM,
    NONE;

    public static NormLayer parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    "normalization must be one of instancenorm, batchnorm, none; found '" + text + "'", e);
        }
    }

    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
