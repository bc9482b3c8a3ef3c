package dev.bristle.ml.score;

import dev.bristle.ml.attack.AttackLibrary;
import dev.bristle.ml.attack.AttackProtocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The settings a run must use to be ranked on its protocol's boards: the one place they are defined, for the web
 * app's jobs, {@code ./bristle score --bundle} and the verification of a submitted bundle. A run with other settings
 * is preliminary, and {@link #differences} says how it differs.
 *
 * @param students   students trained and evaluated
 * @param epochs     BEARD's nominal epochs
 * @param testImages the first this many images of the test split; null: the whole split
 * @param attacks    every attack the run must measure
 * @param modes      every mode it must measure them in
 */
public record OfficialSettings(AttackProtocol protocol, int students, int epochs, Integer testImages,
                               List<String> attacks, List<String> modes) {

    /** A checkpoint's difference: its training is not the official run's. */
    public static final String CHECKPOINT = "a published checkpoint, trained elsewhere";

    public OfficialSettings {
        attacks = List.copyOf(attacks);
        modes = List.copyOf(modes);
    }

    /**
     * What a run was asked to do, as far as the official settings care.
     *
     * @param protocol the protocol's key
     * @param epochs   BEARD's nominal epochs trained; null for a checkpoint, whose epochs are not Bristle's to count
     */
    public record Run(String protocol, int students, Integer epochs, List<String> attacks, List<String> modes) {
    }

    /**
     * Both protocols' official runs: BEARD's (five students, 1,000 epochs, the whole test split as the official files,
     * every attack in both modes), each at its protocol's recorded budgets, which a job cannot change.
     */
    public static OfficialSettings of(AttackProtocol protocol) {
        return new OfficialSettings(protocol, 5, 1000, null, AttackLibrary.NAMES, List.of("targeted", "untargeted"));
    }

    /** These settings scaled down (test-only configuration); a null value keeps the official one. */
    public OfficialSettings scaled(Integer students, Integer epochs, Integer testImages, List<String> attacks,
                                   List<String> modes) {
        return new OfficialSettings(protocol, students != null ? students : this.students,
                epochs != null ? epochs : this.epochs, testImages != null ? testImages : this.testImages,
                attacks != null ? attacks : this.attacks, modes != null ? modes : this.modes);
    }

    /** The test images an official run evaluates out of a split of {@code splitSize}. */
    public int imagesOf(int splitSize) {
        return testImages == null ? splitSize : Math.min(testImages, splitSize);
    }

    /**
     * What {@code run} on a test set does differently from the official run, one phrase each ("1 of 5 students",
     * "JPEG-decoded test set"); empty when it is an official run.
     *
     * @param imagesUsed test images the run evaluated
     * @param splitSize  images of the whole test split
     * @param copy       what the test images are when not the official files (null when they are)
     */
    public List<String> differences(Run run, int imagesUsed, int splitSize, String copy) {
        List<String> differences = new ArrayList<>();
        if (!AttackProtocol.fromKey(run.protocol()).equals(protocol)) {
            differences.add(run.protocol() + " protocol");
        }
        count(differences, run.students(), students, "students");
        if (run.epochs() != null) count(differences, run.epochs(), epochs, "epochs");
        count(differences, imagesUsed, imagesOf(splitSize), "images");
        if (copy != null) differences.add(copy);
        List<String> missing = attacks.stream().filter(a -> !run.attacks().contains(a)).toList();
        if (!missing.isEmpty()) {
            differences.add((attacks.size() - missing.size()) + " of " + attacks.size() + " attacks (without "
                    + String.join(", ", missing) + ")");
        }
        List<String> missingModes = modes.stream().filter(m -> !run.modes().contains(m)).toList();
        if (!missingModes.isEmpty()) {
            differences.add(run.modes().isEmpty() ? "no attack modes"
                    : String.join(" and ", run.modes()) + " only");
        }
        return differences;
    }

    /**
     * What evaluating a published checkpoint (its students: 1; its epochs are not counted) does differently from the official run:
     * the student was trained elsewhere, not by Bristle as the official run's are, then as {@link #differences}.
     */
    public List<String> checkpointDifferences(Run run, int imagesUsed, int splitSize, String copy) {
        List<String> differences = new ArrayList<>();
        differences.add(CHECKPOINT);
        differences.addAll(differences(new Run(run.protocol(), run.students(), null, run.attacks(), run.modes()),
                imagesUsed, splitSize, copy));
        return differences;
    }

    private static void count(List<String> differences, int used, int official, String what) {
        if (used < official) {
            differences.add(format(used) + " of " + format(official) + " " + what);
        } else if (used > official) {
            differences.add(format(used) + " " + what + " instead of " + format(official));
        }
    }

    private static String format(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
