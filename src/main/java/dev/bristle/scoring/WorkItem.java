package dev.bristle.scoring;

import dev.bristle.text.ColumnText;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

import java.time.Instant;

/**
 * The columns of work the job engine runs (a scoring job and its tasks, a distillation job, a submission's check) as
 * pages and evidence show it: its state, the instance that runs it, its attempts, its progress and how it ended.
 * Who runs it and when is the engine's ({@code dev.bristle.jobs.JobEngine}).
 */
@MappedSuperclass
public abstract class WorkItem extends PanacheEntityBase {

    private static final int MAX_LABEL = 300;
    private static final int MAX_ERROR = 4000;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Enumerated(EnumType.STRING)
    public JobState state;
    @Column(name = "progress_done")
    public int progressDone;
    @Column(name = "progress_total")
    public int progressTotal;
    @Column(name = "progress_label")
    public String progressLabel;
    /** How many attempts started. */
    public int attempts;
    @Column(name = "claimed_by")
    public String claimedBy;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(name = "error_message")
    public String errorMessage;

    /** An attempt started on {@code instance} at {@code now}: RUNNING, one attempt more, started at its first. */
    public void started(String instance, Instant now) {
        state = JobState.RUNNING;
        claimedBy = instance;
        attempts++;
        if (startedAt == null) startedAt = now;
    }

    /** QUEUED again after an attempt that failed with {@code error}, for the job engine to run once more. */
    public void retry(String error) {
        state = JobState.QUEUED;
        claimedBy = null;
        errorMessage = ColumnText.fit(error, MAX_ERROR);
    }

    /** Ended in {@code ended} at {@code now}, with the error that failed it (null: none). */
    public void end(JobState ended, String error, Instant now) {
        state = ended;
        finishedAt = now;
        errorMessage = ColumnText.fit(error, MAX_ERROR);
    }

    /** QUEUED again if item {@code id} is RUNNING (its instance stopped); whether it was. */
    public static boolean requeue(Class<? extends WorkItem> type, long id) {
        return entityManager(type).createQuery("update " + entityName(type) + " set state = :queued, claimedBy = null"
                        + " where id = :id and state = :running")
                .setParameter("queued", JobState.QUEUED).setParameter("running", JobState.RUNNING)
                .setParameter("id", id).executeUpdate() > 0;
    }

    /**
     * Writes the progress of item {@code id} if its attempt {@code attempt} still runs; whether it does (false: it
     * was cancelled, or a later attempt has taken it over).
     */
    public static boolean progress(Class<? extends WorkItem> type, long id, int attempt, int done, int total,
                                   String label) {
        return entityManager(type).createQuery("update " + entityName(type) + " set progressDone = :done,"
                        + " progressTotal = :total, progressLabel = :label"
                        + " where id = :id and attempts = :attempt and state = :running")
                .setParameter("done", done).setParameter("total", total).setParameter("label", fitLabel(label))
                .setParameter("id", id).setParameter("attempt", attempt).setParameter("running", JobState.RUNNING)
                .executeUpdate() > 0;
    }

    /** A progress label cut to fit its column. */
    public static String fitLabel(String label) {
        return ColumnText.fit(label, MAX_LABEL);
    }

    private static EntityManager entityManager(Class<? extends WorkItem> type) {
        return Panache.getEntityManager(type);
    }

    private static String entityName(Class<? extends WorkItem> type) {
        return entityManager(type).getMetamodel().entity(type).getName();
    }
}
