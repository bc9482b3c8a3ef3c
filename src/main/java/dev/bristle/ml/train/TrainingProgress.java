package dev.bristle.ml.train;

/** Told after every completed epoch of every student. Called on the training thread: keep it quick. */
@FunctionalInterface
public interface TrainingProgress {

    TrainingProgress SILENT = (student, epoch) -> { };

    void epochDone(int student, EpochRecord epoch);
}
