package dev.bristle.ml.evidence;

import dev.bristle.keys.Keyed;

import java.util.Locale;

/**
 * Signs that an evaluation is unreliable (Carlini et al., "On Evaluating Adversarial Robustness", and AutoAttack's
 * checks). A raised check warns with its evidence; it never changes a number.
 */
public enum SanityCheck implements Keyed {
    ITERATIVE_WEAKER_THAN_ONE_STEP("an iterative attack leaves more images correct than its one-step counterpart"
            + " at the same budget"),
    ACCURACY_RISES_WITH_BUDGET("robust accuracy rises as the budget grows"),
    BLACK_BOX_STRONGER_THAN_WHITE_BOX("a black-box attack is stronger than every white-box attack of its budget"),
    ATTACK_ABOVE_CLEAN("an attack leaves more images correct than the clean pass"),
    NOISE_STRONGER_THAN_ATTACK("random noise of the same budget hurts more than an attack"),
    ZERO_GRADIENTS("the input gradient is zero at the clean point for more than "
            + SanityChecks.ZERO_GRADIENT_PERCENT + " % of the images");

    private final String description;

    SanityCheck(String description) {
        this.description = description;
    }

    /** What the check warns about, in a sentence. */
    public String description() {
        return description;
    }

    @Override
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static SanityCheck fromKey(String key) {
        return Keyed.fromKey(SanityCheck.class, key)
                .orElseThrow(() -> new IllegalArgumentException("unknown sanity check '" + key + "'"));
    }
}
