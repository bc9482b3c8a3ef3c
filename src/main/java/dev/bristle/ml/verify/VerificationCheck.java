package dev.bristle.ml.verify;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.bristle.input.InvalidInputException;
import dev.bristle.keys.Keyed;

import java.util.Locale;

/**
 * The five checks a submitted bundle passes before its run is ranked, in the order they run. JSON writes a check by
 * its key, as the API writes every enum.
 */
public enum VerificationCheck implements Keyed {
    /** The manifest's hashes, the set the record names, official settings, official seeds, versions. */
    INTEGRITY("Integrity"),
    /** Every student's clean predictions on the whole official test split, recomputed here. */
    CLEAN_PREDICTIONS("Clean predictions"),
    /** Attacks on a secret sample of the images the record calls robust, for a drawn subset of the students. */
    SAMPLED_ATTACKS("Sampled attacks"),
    /** One drawn student re-trained here from its recorded seed; its clean accuracy within a tolerance. */
    TRAINING("Training"),
    /** RRM, AEM, CREI, their intervals and the robust accuracy recomputed from the per-image results. */
    ARITHMETIC("Arithmetic");

    private final String label;

    VerificationCheck(String label) {
        this.label = label;
    }

    @Override
    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The check's name in words, for pages and the command line. */
    public String label() {
        return label;
    }

    @JsonCreator
    public static VerificationCheck fromKey(String key) {
        return Keyed.fromKey(VerificationCheck.class, key).orElseThrow(() -> new InvalidInputException(
                "unknown verification check (known: integrity, clean-predictions, sampled-attacks, training,"
                        + " arithmetic)"));
    }
}
