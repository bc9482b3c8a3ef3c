package dev.bristle.keys;

import java.util.Arrays;
import java.util.Optional;

/**
 * An enum constant known by a key, as URLs, forms, JSON, the command line and stored rows write it. Plain Java, so
 * the compute core's enums use it too.
 */
public interface Keyed {

    String key();

    /** The constant of {@code type} whose key is {@code key}, whatever its case; empty for none (or null). */
    static <E extends Enum<E> & Keyed> Optional<E> fromKey(Class<E> type, String key) {
        return Arrays.stream(type.getEnumConstants()).filter(constant -> constant.key().equalsIgnoreCase(key))
                .findFirst();
    }
}
