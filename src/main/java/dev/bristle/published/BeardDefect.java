package dev.bristle.published;

/**
 * Defects of BEARD's evaluation protocol that shape its published numbers (found by reading its code; see
 * {@code shared/beard/README.md}). Pages list them beside the numbers they affect.
 */
public enum BeardDefect {
    NORMALIZATION_CLAMP(1, "Images are normalized before the attack without telling torchattacks: eps acts in"
            + " normalized units and every adversarial image is clamped to [0, 1] in normalized space, raising all"
            + " below-mean pixels to the channel mean. Much of the accuracy drop, and nearly all of the targeted"
            + " one, comes from this clamp rather than from the perturbation."),
    TARGETS_MODULO_TEN(2, "Targeted attacks aim at label (y + 1) % 10 on every data set, so on CIFAR-100 and"
            + " TinyImageNet only the first ten classes are ever targets."),
    TARGETED_NOT_RUN(3, "Targeted DeepFool and targeted AutoAttack were never run: their targeted log lines score"
            + " the clean images. They are left out of every targeted metric."),
    SPSA_NOT_RUN(4, "\"SPSA\" in the configuration never matches the code's 'Spsa' branch, and that branch runs"
            + " AutoAttack: no SPSA result was ever measured."),
    CLOCK_SEEDS_AND_TIMES(5, "Student seeds come from the clock, and wall times from time.time() with 24 loader"
            + " workers and no GPU synchronisation: AEM, AES and everything built on them rest on noisy times."),
    UNBOUNDED_ATTACKS(6, "DeepFool and C&W have no eps bound: their \"robust accuracy\" only says the attack ran"
            + " out of steps.");

    private final int number;
    private final String description;

    BeardDefect(int number, String description) {
        this.number = number;
        this.description = description;
    }

    public int number() {
        return number;
    }

    public String description() {
        return description;
    }

    /** "Defect 3: ..." */
    public String text() {
        return "Defect " + number + ": " + description;
    }
}
