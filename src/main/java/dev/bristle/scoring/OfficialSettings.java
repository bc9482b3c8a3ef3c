package dev.bristle.scoring;

import dev.bristle.config.BristleConfig;
import dev.bristle.ml.attack.AttackLibrary;
import dev.bristle.ml.attack.AttackProtocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The settings a run must use to be ranked on its protocol's boards: the one place they are defined. A run with
 * other settings is preliminary, and {@link #differences} says how it differs.
 *
 * @param students   students trained and evaluated
 * @param epochs     BEARD's nominal epochs
 * @param testImages the first this many images of the test split; null: the whole split
 * @param attacks    every attack the run must measure
 * @param modes      every mode it must measure them in
 */
public record OfficialSettings(AttackProtocol protocol, int students, int epochs, Integer testImages,
                               List<String> attacks, List<String> modes) {

    /**
     * Both protocols' official runs: BEARD's (five students, 1,000 epochs, the whole test split as the official files,
     * every attack in both modes), each at its protocol's recorded budgets, which a job cannot change.
     */
    public static OfficialSettings of(AttackProtocol protocol) {
        return new OfficialSettings(protocol, 5, 1000, null, AttackLibrary.NAMES, List.of("targeted", "untargeted"));
    }

    /** These settings scaled down by test-only configuration (unset values keep the official ones). */
    public OfficialSettings scaled(BristleConfig.OfficialScale scale) {
        return new OfficialSettings(protocol, scale.students().orElse(students), scale.epochs().orElse(epochs),
                scale.testImages().isPresent() ? Integer.valueOf(scale.testImages().getAsInt()) : testImages,
                scale.attacks().orElse(attacks), scale.modes().orElse(modes));
    }

    /**
     * What a run with {@code settings} on {@code testSet} does differently from the official run, one phrase each
     * ("1 of 5 students", "JPEG-decoded test set"); empty when it is an official run.
     *
     * @param imagesUsed test images the run evaluated
     * @param splitSize  images of the whole test split
     * @param copy       what the test images are when not the official files (null when they are)
     */
    public List<String> differences(JobSettings settings, int imagesUsed, int splitSize, String copy) {
        return differences(settings, settings.epochs(), imagesUsed, splitSize, copy);
    }

    /**
     * What evaluating a published checkpoint with {@code settings} (its students: 1) does differently from the
     * official run: the student was trained elsewhere, not by Bristle as the official run's are, then as
     * {@link #differences}, except epochs, which are not Bristle's to count.
     */
    public List<String> checkpointDifferences(JobSettings settings, int imagesUsed, int splitSize, String copy) {
        List<String> differences = new ArrayList<>();
        differences.add(CHECKPOINT);
        differences.addAll(differences(settings, null, imagesUsed, splitSize, copy));
        return differences;
    }

    /** A checkpoint's difference: its training is not the official run's. */
    public static final String CHECKPOINT = "a published checkpoint, trained elsewhere";

    private List<String> differences(JobSettings settings, Integer epochsTrained, int imagesUsed, int splitSize,
                                     String copy) {
        List<String> differences = new ArrayList<>();
        if (!AttackProtocol.fromKey(settings.protocol()).equals(protocol)) {
            differences.add(settings.protocol() + " protocol");
        }
        count(differences, settings.students(), students, "students");
        if (epochsTrained != null) count(differences, epochsTrained, epochs, "epochs");
        count(differences, imagesUsed, testImages == null ? splitSize : Math.min(testImages, splitSize), "images");
        if (copy != null) differences.add(copy);
        List<String> missing = attacks.stream().filter(a -> !settings.attacks().contains(a)).toList();
        if (!missing.isEmpty()) {
            differences.add((attacks.size() - missing.size()) + " of " + attacks.size() + " attacks (without "
                    + String.join(", ", missing) + ")");
        }
        List<String> missingModes = modes.stream().filter(m -> !settings.modes().contains(m)).toList();
        if (!missingModes.isEmpty()) {
            differences.add(settings.modes().isEmpty() ? "no attack modes"
                    : String.join(" and ", settings.modes()) + " only");
        }
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
