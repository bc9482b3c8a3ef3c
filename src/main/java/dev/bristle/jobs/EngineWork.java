package dev.bristle.jobs;

/**
 * One kind of Bristle's work that the job engine runs ({@link JobEngine}), each piece named by the id of the row that
 * says what it is (a distillation job, a scoring task, a submission's check). Bristle's rows keep what the work means
 * and how it went; the engine decides who runs it and when.
 */
public interface EngineWork {

    /** How a run left its piece of work. */
    enum Outcome {
        /** Done, cancelled, or failed for its input's fault: the engine forgets it. */
        ENDED,
        /** Stopped because this instance shuts down: due again at once, for whichever instance picks it. */
        STOPPED
    }

    /** The engine's name for this kind of work (its executions' {@code task_name}). */
    String name();

    /**
     * Runs piece {@code id} on the calling thread. Throwing says it failed for a reason worth another attempt (the
     * run has recorded why in Bristle's rows): the engine runs it again after a back-off, up to
     * {@code bristle.worker.task-attempts} runs, then calls {@link #failedForGood}.
     */
    Outcome run(long id) throws Exception;

    /** Piece {@code id} failed at its last attempt: its rows end FAILED with the reason its last run recorded. */
    void failedForGood(long id);
}
