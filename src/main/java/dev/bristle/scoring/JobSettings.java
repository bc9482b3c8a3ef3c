package dev.bristle.scoring;

import dev.bristle.ml.train.TrainingConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * How a job scores its set; stored with the job as JSON.
 *
 * @param epochs    BEARD's nominal epochs (the students train epochs + 1, as BEARD's code does)
 * @param students  students trained and evaluated
 * @param testLimit evaluate on the first this many test images (the official order); null: the whole test split
 * @param seed      base seed of the students
 */
public record JobSettings(int epochs, int students, Integer testLimit, long seed) {

    public static final int MAX_EPOCHS = 10_000;
    public static final int MAX_STUDENTS = 20;

    /** BEARD's protocol: 1,000 nominal epochs, five students, the whole test split. */
    public static JobSettings beard() {
        return new JobSettings(1000, 5, null, 0);
    }

    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (epochs < 1 || epochs > MAX_EPOCHS) problems.add("epochs must be 1 to " + MAX_EPOCHS + ", not " + epochs);
        if (students < 1 || students > MAX_STUDENTS) {
            problems.add("students must be 1 to " + MAX_STUDENTS + ", not " + students);
        }
        if (testLimit != null && testLimit < 1) problems.add("the test limit must be positive, not " + testLimit);
        return problems;
    }

    public TrainingConfig training() {
        return TrainingConfig.beard(epochs, seed).withStudents(students);
    }
}
