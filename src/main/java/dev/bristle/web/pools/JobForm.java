package dev.bristle.web.pools;

import dev.bristle.ml.attack.AttackLibrary;
import dev.bristle.scoring.JobSettings;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The "Score this set" form as typed (strings, so a refused form comes back unchanged): a preset or custom
 * settings.
 *
 * @param preset "official" (BEARD's settings), "quick" (a quick preview) or "custom" (the fields)
 * @param recipe "standard" or "pgd-at" (adversarial training), whichever the preset
 */
public record JobForm(String preset, String epochs, String students, String testLimit, String seed,
                      List<String> attacks, List<String> modes, String protocol, boolean budgetGrid,
                      String recipe) {

    public static final String OFFICIAL = "official";
    public static final String QUICK = "quick";
    public static final String CUSTOM = "custom";

    /** A new form: the official settings chosen, the custom fields showing them. */
    public static JobForm initial() {
        return of(OFFICIAL, JobSettings.beard());
    }

    static JobForm of(String preset, JobSettings s) {
        return new JobForm(preset, String.valueOf(s.epochs()), String.valueOf(s.students()),
                s.testLimit() == null ? "" : String.valueOf(s.testLimit()), String.valueOf(s.seed()), s.attacks(),
                s.modes(), s.protocol(), s.budgetGrid(), s.recipe());
    }

    /** As submitted; checkboxes left unticked arrive as nothing, and "FGSM, PGD" in one value is split. */
    public static JobForm submitted(String preset, String epochs, String students, String testLimit, String seed,
                             List<String> attacks, List<String> modes, String protocol, String budgetGrid,
                             String recipe) {
        return new JobForm(preset == null || preset.isBlank() ? CUSTOM : preset.trim().toLowerCase(Locale.ROOT),
                epochs, students, testLimit, seed, split(attacks), split(modes), protocol,
                budgetGrid != null && !budgetGrid.isBlank(), recipe == null || recipe.isBlank() ? null : recipe.trim());
    }

    private static List<String> split(List<String> values) {
        return values == null ? List.of() : values.stream().filter(Objects::nonNull)
                .flatMap(v -> Arrays.stream(v.split("[,\\s]+"))).filter(v -> !v.isBlank()).toList();
    }

    public List<String> allAttacks() {
        return AttackLibrary.NAMES;
    }

    public boolean hasAttack(String name) {
        return attacks.contains(name);
    }

    public boolean hasMode(String mode) {
        return modes.contains(mode);
    }

    public boolean isPreset(String name) {
        return name.equals(preset);
    }

    /** The official settings, for the form's description of the preset. */
    public JobSettings official() {
        return JobSettings.beard();
    }

    public JobSettings quick() {
        return JobSettings.quickPreview();
    }
}
