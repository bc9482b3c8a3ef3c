package dev.bristle.scoring;

import dev.bristle.ml.score.ScoringPipeline;

/**
 * What a task of a scoring job does. A task of a later phase waits until every task of the earlier phases of its job
 * has succeeded; tasks of one phase run in any order, on any instance.
 */
public enum TaskKind {
    /** Trains the job's students (all of them: they train together), unless the job evaluates a checkpoint. */
    TRAIN(JobPhase.TRAINING, ScoringPipeline.Stage.TRAINING),
    /** One student's clean accuracy, the attack stage's clean pass and its zero-gradient census. */
    EVALUATE(JobPhase.MEASUREMENT, ScoringPipeline.Stage.CLEAN_EVALUATION),
    /** One student under one attack in one mode, at the recorded budget or at one budget of the grid. */
    ATTACK(JobPhase.MEASUREMENT, ScoringPipeline.Stage.ATTACKS),
    /** The job's results from its tasks' pieces: metrics, evidence, ranking, publication. Runs once, last. */
    ASSEMBLE(JobPhase.RESULTS, null);

    private final JobPhase phase;
    private final ScoringPipeline.Stage stage;

    TaskKind(JobPhase phase, ScoringPipeline.Stage stage) {
        this.phase = phase;
        this.stage = stage;
    }

    public JobPhase jobPhase() {
        return phase;
    }

    /** The phase's number as the task rows keep it: 0 training, 1 measurement, 2 results. */
    public int phase() {
        return phase.ordinal();
    }

    /** The pipeline stage a job is in while this task runs; null: the job stays in the stage before. */
    public ScoringPipeline.Stage stage() {
        return stage;
    }
}
