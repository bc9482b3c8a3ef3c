package dev.bristle.ml.distill;

import dev.bristle.input.InvalidInputException;
import dev.bristle.keys.Keyed;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The distillers Bristle runs itself; {@link #key} is the name on the command line, in provenance and in the pool. */
public enum DistillationMethod implements Keyed {
    /** Real images, the same number of each class, drawn with a seed: the baseline every method must beat. */
    RANDOM("random", "Random"),
    /** Real images chosen by herding in a ConvNet's feature space, so each class's chosen mean tracks its full mean. */
    HERDING("herding", "Herding"),
    /** Distribution matching (Zhao and Bilen, WACV 2023): synthetic images matching real class means of embeddings. */
    DM("dm", "DM");

    private final String key;
    private final String displayName;

    DistillationMethod(String key, String displayName) {
        this.key = key;
        this.displayName = displayName;
    }

    @Override
    public String key() {
        return key;
    }

    /** The method's name on boards and in the dataset pool. */
    public String displayName() {
        return displayName;
    }

    public static DistillationMethod fromKey(String key) {
        return Keyed.fromKey(DistillationMethod.class, key)
                .orElseThrow(() -> new InvalidInputException("unknown distillation method '" + key + "' (expected "
                        + Arrays.stream(values()).map(DistillationMethod::key).collect(Collectors.joining(", ")) + ")"));
    }

    @Override
    public String toString() {
        return key.toLowerCase(Locale.ROOT);
    }
}
