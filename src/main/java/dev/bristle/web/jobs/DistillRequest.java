package dev.bristle.web.jobs;

import dev.bristle.distilling.DistillationJobService;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * What a client asks for; settings left out take the method's defaults (seed 0).
 *
 * @param method random, herding or dm
 */
public record DistillRequest(
        @NotBlank(message = "must name a method: random, herding or dm") @Size(max = 16, message = NAME)
        String method,
        @NotBlank(message = "must name a dataset, e.g. Fashion-MNIST") @Size(max = 32, message = NAME)
        String dataset,
        @NotNull(message = "must be the images per class") @Min(value = 1, message = IPC)
        @Max(value = DistillationJobService.MAX_IPC, message = IPC) Integer ipc,
        @Min(value = 0, message = "must be 0 or more") Long seed,
        @Positive(message = "must be positive") @Max(value = DistillationJobService.MAX_ITERATIONS,
                message = "must be at most {value}") Integer iterations,
        @Positive(message = "must be positive") Double learningRate,
        @Positive(message = "must be positive") @Max(value = 10_000, message = "must be at most {value}")
        Integer realPerClass) {

    private static final String NAME = "must be a name of at most {max} characters";
    private static final String IPC = "must be 1 to " + DistillationJobService.MAX_IPC;

    DistillationJobService.Request toRequest() {
        return new DistillationJobService.Request(method, dataset, ipc, seed == null ? 0 : seed, iterations,
                learningRate, realPerClass);
    }

    static DistillRequest initial() {
        return new DistillRequest("dm", "Fashion-MNIST", 10, 0L, null, null, null);
    }
}
