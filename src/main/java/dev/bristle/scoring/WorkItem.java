package dev.bristle.scoring;

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
 * The columns and claim rules of work an app instance claims from a queue table and runs in its worker (a scoring
 * job, a scoring task, a distillation job): its state, who holds it, its heartbeat, its progress and how it ended.
 * A RUNNING item whose holder restarted or stopped beating goes back to the queue.
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
    @Column(name = "heartbeat_at")
    public Instant heartbeatAt;
    /** How many times it was claimed. */
    public int attempts;
    @Column(name = "claimed_by")
    public String claimedBy;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(name = "error_message")
    public String errorMessage;

    /** Claimed by {@code instance} at {@code now}: RUNNING, one attempt more, started at its first claim. */
    public void claim(String instance, Instant now) {
        state = JobState.RUNNING;
        claimedBy = instance;
        attempts++;
        heartbeatAt = now;
        if (startedAt == null) startedAt = now;
    }

    /** Back in the queue after an attempt that failed with {@code error}, to be claimed again. */
    public void retry(String error) {
        state = JobState.QUEUED;
        claimedBy = null;
        errorMessage = truncate(error, MAX_ERROR);
    }

    /** Ended in {@code ended} at {@code now}, with the error that failed it (null: none). */
    public void end(JobState ended, String error, Instant now) {
        state = ended;
        finishedAt = now;
        errorMessage = truncate(error, MAX_ERROR);
    }

    /**
     * Puts the RUNNING items of {@code type} back in the queue: those of {@code instance} (it restarted; null: none),
     * and any whose heartbeat predates the cutoff (their instance died).
     */
    public static int requeueAbandoned(Class<? extends WorkItem> type, String instance, Instant heartbeatCutoff) {
        return entityManager(type).createQuery("update " + entityName(type) + " set state = :queued, claimedBy = null"
                        + " where state = :running and (claimedBy = :instance or heartbeatAt is null"
                        + " or heartbeatAt < :cutoff)")
                .setParameter("queued", JobState.QUEUED).setParameter("running", JobState.RUNNING)
                .setParameter("instance", instance).setParameter("cutoff", heartbeatCutoff).executeUpdate();
    }

    /** Puts item {@code id} back in the queue if it is RUNNING; whether it was. */
    public static boolean requeue(Class<? extends WorkItem> type, long id) {
        return entityManager(type).createQuery("update " + entityName(type) + " set state = :queued, claimedBy = null"
                        + " where id = :id and state = :running")
                .setParameter("queued", JobState.QUEUED).setParameter("running", JobState.RUNNING)
                .setParameter("id", id).executeUpdate() > 0;
    }

    /**
     * Writes the progress of item {@code id}, which is also its heartbeat, if {@code instance} still runs it; whether
     * it does (false: another attempt has taken it over).
     */
    public static boolean progress(Class<? extends WorkItem> type, long id, String instance, int done, int total,
                                   String label, Instant now) {
        return entityManager(type).createQuery("update " + entityName(type) + " set progressDone = :done,"
                        + " progressTotal = :total, progressLabel = :label, heartbeatAt = :now"
                        + " where id = :id and claimedBy = :instance and state = :running")
                .setParameter("done", done).setParameter("total", total)
                .setParameter("label", fitLabel(label)).setParameter("now", now).setParameter("id", id)
                .setParameter("instance", instance).setParameter("running", JobState.RUNNING).executeUpdate() > 0;
    }

    /**
     * Writes the progress of item {@code id} if its attempt {@code attempt} still runs; whether it does (false: it
     * was cancelled, or a later attempt has taken it over).
     */
    public static boolean progressOfAttempt(Class<? extends WorkItem> type, long id, int attempt, int done, int total,
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
        return truncate(label, MAX_LABEL);
    }

    /** {@code text} cut to fit a column of {@code length} characters, an ellipsis saying so. */
    private static String truncate(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length - 1) + "…";
    }

    private static EntityManager entityManager(Class<? extends WorkItem> type) {
        return Panache.getEntityManager(type);
    }

    private static String entityName(Class<? extends WorkItem> type) {
        return entityManager(type).getMetamodel().entity(type).getName();
    }
}
