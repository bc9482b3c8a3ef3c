package dev.bristle.ml.nn;

import dev.bristle.input.InvalidInputException;

import java.util.Locale;

/** The 2x2, stride-2 pooling after each block, named as BEARD's {@code --net_pooling} option names it. */
public enum Pooling {
    AVGPOOLING,
    MAXPOOLING,
    NONE;

    public static Pooling parse(String text) {
        String key = text.trim().toUpperCase(Locale.ROOT);
        // BEARD's code spells them avgpooling/maxpooling; avgpool/maxpool are the everyday names.
        if (key.equals("AVGPOOL")) return AVGPOOLING;
        if (key.equals("MAXPOOL")) return MAXPOOLING;
        try {
            return valueOf(key);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    "pooling must be one of avgpooling, maxpooling, none; found '" + text + "'", e);
        }
    }

    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
