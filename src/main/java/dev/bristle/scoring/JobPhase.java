package dev.bristle.scoring;

/**
 * The phases of a scoring job, in order: a phase's tasks wait until every task of the phases before has succeeded.
 * A checkpoint evaluation has no training.
 */
public enum JobPhase {
    /** The students trained, all together ({@link TaskKind#TRAIN}). */
    TRAINING,
    /** Each student's clean evaluation and attack runs ({@link TaskKind#EVALUATE}, {@link TaskKind#ATTACK}). */
    MEASUREMENT,
    /** The job's results assembled from the measurements ({@link TaskKind#ASSEMBLE}). */
    RESULTS
}
