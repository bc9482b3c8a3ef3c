package dev.bristle.scoring;

import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.attack.AttackLibrary;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.attack.BudgetSweep;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.score.AttackPlan;
import dev.bristle.ml.score.OfficialSettings;
import dev.bristle.ml.train.TrainingConfig;
import dev.bristle.ml.train.TrainingRecipe;

import java.util.ArrayList;
import java.util.List;

/**
 * How a job scores its set; stored with the job as JSON.
 *
 * @param epochs    BEARD's nominal epochs (the students train epochs + 1, as BEARD's code does)
 * @param students  students trained and evaluated
 * @param testLimit evaluate on the first this many test images (the official order); null: the whole test split
 * @param seed      base seed of the students and the attacks
 * @param attacks   attack names ({@link AttackLibrary#NAMES}); empty: clean accuracy only, nothing published
 * @param modes     "targeted" and/or "untargeted"
 * @param protocol  "beard" (as published) or "sound" (pixel space)
 * @param budgetGrid sound protocol only: also run each budgeted attack over {@link BudgetSweep.Grid#DEFAULT} for
 *                  accuracy-versus-budget curves (a run per budget: about four times the attack stage); null: no
 * @param recipe    how the students train: "standard" (null) or "pgd-at", PGD adversarial training at the dataset's
 *                  recorded L-inf budget ({@link TrainingRecipe#of}); part of the entries' identity
 */
public record JobSettings(int epochs, int students, Integer testLimit, long seed, List<String> attacks,
                          List<String> modes, String protocol, Boolean budgetGrid, String recipe) {

    public static final int MAX_EPOCHS = 10_000;
    public static final int MAX_STUDENTS = 20;

    public JobSettings {
        attacks = attacks == null ? List.of() : List.copyOf(attacks);
        modes = modes == null ? List.of() : List.copyOf(modes);
        protocol = protocol == null ? AttackProtocol.BEARD.key() : protocol;
        budgetGrid = Boolean.TRUE.equals(budgetGrid);
        recipe = recipe == null || recipe.isBlank() ? TrainingRecipe.Kind.STANDARD.key() : recipe;
    }

    /** Settings of standard training. */
    public JobSettings(int epochs, int students, Integer testLimit, long seed, List<String> attacks,
                       List<String> modes, String protocol, Boolean budgetGrid) {
        this(epochs, students, testLimit, seed, attacks, modes, protocol, budgetGrid, null);
    }

    /** BEARD's protocol: 1,000 nominal epochs, five students, the whole test split, every attack in both modes. */
    public static JobSettings beard() {
        return new JobSettings(1000, 5, null, 0, AttackLibrary.NAMES, List.of("targeted", "untargeted"), "beard",
                false);
    }

    /**
     * A quick preview of a set: one student, 50 epochs, the first 500 test images, FGSM and PGD untargeted in
     * BEARD's protocol; minutes instead of hours, and numbers far noisier than the official settings'.
     */
    public static JobSettings quickPreview() {
        return new JobSettings(50, 1, 500, 0, List.of("FGSM", "PGD"), List.of("untargeted"), "beard", false);
    }

    /** What these settings ask for, as the official settings compare it. */
    public OfficialSettings.Run officialRun() {
        return new OfficialSettings.Run(protocol, students, epochs, attacks, modes);
    }

    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (epochs < 1 || epochs > MAX_EPOCHS) problems.add("epochs must be 1 to " + MAX_EPOCHS + ", not " + epochs);
        if (students < 1 || students > MAX_STUDENTS) {
            problems.add("students must be 1 to " + MAX_STUDENTS + ", not " + students);
        }
        if (testLimit != null && testLimit < 1) problems.add("the test limit must be positive, not " + testLimit);
        problems.addAll(AttackPlan.problems(attacks));
        for (String mode : modes) {
            try {
                AttackMode.fromKey(mode);
            } catch (InvalidInputException e) {
                problems.add(e.getMessage());
            }
        }
        try {
            AttackProtocol known = AttackProtocol.fromKey(protocol);
            if (budgetGrid && !known.allowsBudgetGrid()) {
                problems.add("a budget grid needs the sound protocol (BEARD's budgets act on normalized tensors)");
            }
        } catch (InvalidInputException e) {
            problems.add(e.getMessage());
        }
        try {
            TrainingRecipe.Kind.fromKey(recipe);
        } catch (InvalidInputException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    /** A checkpoint evaluation trains nothing: one student (the checkpoint), and epochs are not asked for. */
    public List<String> checkpointProblems() {
        List<String> problems = new ArrayList<>(new JobSettings(1, students, testLimit, seed, attacks, modes, protocol,
                budgetGrid).problems());
        if (!TrainingRecipe.Kind.STANDARD.key().equals(recipe)) {
            problems.add("a checkpoint evaluation trains nothing: the training recipe must be standard, not " + recipe);
        }
        if (epochs != 0) problems.add("a checkpoint evaluation trains nothing: epochs must be 0, not " + epochs);
        if (students != 1) problems.add("a checkpoint evaluation evaluates one student (the checkpoint), not "
                + students);
        return problems;
    }

    /** These settings with students trained by {@code recipe} ("standard" or "pgd-at"; null: standard). */
    public JobSettings withRecipe(String recipe) {
        return new JobSettings(epochs, students, testLimit, seed, attacks, modes, protocol, budgetGrid, recipe);
    }

    /** Settings for evaluating a checkpoint: no training (epochs 0, one student), the rest as asked. */
    public JobSettings forCheckpoint() {
        return new JobSettings(0, 1, testLimit, seed, attacks, modes, protocol, budgetGrid);
    }

    /** BEARD's training of the students on {@code dataset}, with the job's recipe at that dataset's budget. */
    public TrainingConfig training(DatasetKind dataset) {
        return TrainingConfig.beard(epochs, seed).withStudents(students).withRecipe(trainingRecipe(dataset));
    }

    public TrainingRecipe trainingRecipe(DatasetKind dataset) {
        return TrainingRecipe.of(recipe, dataset);
    }

    /** The attacks at {@code dataset}'s recorded budgets in the job's protocol. */
    public AttackPlan attackPlan(DatasetKind dataset) {
        AttackPlan plan = AttackPlan.of(attacks, modes.stream().map(AttackMode::fromKey).toList(),
                AttackProtocol.fromKey(protocol), seed, dataset);
        return budgetGrid ? plan.withGrid(BudgetSweep.Grid.DEFAULT) : plan;
    }
}
