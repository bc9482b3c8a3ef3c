package dev.bristle.web.jobs;

import dev.bristle.scoring.JobSettings;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * What a client asks for: students trained on a pooled set ({@code datasetId}), or a model-pool checkpoint
 * evaluated as it is ({@code modelId}: no training, one student); one of the two. A missing setting takes BEARD's
 * value ({@link JobSettings#beard()}; a checkpoint: no epochs, one student). The bounds here keep a request's size
 * and numbers sane; {@link JobSettings#problems()} then checks the names against what exists.
 */
public record JobRequest(
        Long datasetId,
        Long modelId,
        @Min(value = 1, message = EPOCHS) @Max(value = JobSettings.MAX_EPOCHS, message = EPOCHS) Integer epochs,
        @Min(value = 1, message = STUDENTS) @Max(value = JobSettings.MAX_STUDENTS, message = STUDENTS)
        Integer students,
        @Min(value = 1, message = "must be positive") Integer testLimit,
        @Min(value = 0, message = "must be 0 or more") Long seed,
        @Size(max = MAX_NAMES, message = "may list at most {max} attacks")
        List<@NotBlank(message = "must be an attack's name") @Size(max = MAX_NAME, message = NAME) String> attacks,
        @Size(max = 2, message = "may list at most {max} modes")
        List<@NotBlank(message = "must be a mode") @Size(max = MAX_NAME, message = NAME) String> modes,
        @Size(max = MAX_NAME, message = NAME) String protocol,
        Boolean budgetGrid,
        @Size(max = MAX_NAME, message = NAME) String recipe) {

    private static final String EPOCHS = "must be 1 to " + JobSettings.MAX_EPOCHS;
    private static final String STUDENTS = "must be 1 to " + JobSettings.MAX_STUDENTS;
    private static final int MAX_NAMES = 32;
    private static final int MAX_NAME = 32;
    private static final String NAME = "must be a name of at most 32 characters";

    static JobRequest of(long datasetId, JobSettings s) {
        return new JobRequest(datasetId, null, s.epochs(), s.students(), s.testLimit(), s.seed(), s.attacks(),
                s.modes(), s.protocol(), s.budgetGrid(), s.recipe());
    }

    JobSettings settings() {
        JobSettings beard = JobSettings.beard();
        boolean checkpoint = modelId != null;
        return new JobSettings(epochs == null ? checkpoint ? 0 : beard.epochs() : epochs,
                students == null ? checkpoint ? 1 : beard.students() : students,
                testLimit == null ? beard.testLimit() : testLimit,
                seed == null ? beard.seed() : seed, attacks == null ? beard.attacks() : attacks,
                modes == null ? beard.modes() : modes, protocol == null ? beard.protocol() : protocol,
                budgetGrid, recipe == null ? null : recipe.trim());
    }
}
