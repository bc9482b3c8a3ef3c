package dev.bristle.ml.distill;

/** Told how far a distiller is; asked between steps whether to stop. */
public interface DistillationProgress {

    void progress(int done, int total, String label);

    /** True to stop: the distiller then throws {@link java.util.concurrent.CancellationException}. */
    default boolean cancelled() {
        return false;
    }

    DistillationProgress NONE = (done, total, label) -> { };
}
