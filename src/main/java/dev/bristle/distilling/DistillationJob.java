package dev.bristle.distilling;

import dev.bristle.scoring.JobState;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One distillation job: a distiller run on a dataset's real training images in the worker; the set it makes enters
 * the dataset pool ({@link #resultDatasetId}). Settings left null take the method's defaults.
 */
@Entity
@Table(name = "distillation_job")
public class DistillationJob extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The distiller's key: random, herding or dm. */
    public String method;
    /** The dataset's display name, e.g. "Fashion-MNIST". */
    public String dataset;
    public int ipc;
    public long seed;
    public Integer iterations;
    @Column(name = "learning_rate")
    public Double learningRate;
    @Column(name = "real_per_class")
    public Integer realPerClass;
    @Enumerated(EnumType.STRING)
    public JobState state;
    @Column(name = "progress_done")
    public int progressDone;
    @Column(name = "progress_total")
    public int progressTotal;
    @Column(name = "progress_label")
    public String progressLabel;
    /** The pooled set the job made. */
    @Column(name = "result_dataset_id")
    public Long resultDatasetId;
    @Column(name = "error_message")
    public String errorMessage;
    @Column(name = "heartbeat_at")
    public Instant heartbeatAt;
    public int attempts;
    @Column(name = "claimed_by")
    public String claimedBy;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(name = "submitted_by")
    public String submittedBy;

    /** Locks the oldest queued job for the calling transaction, skipping jobs other instances hold. */
    @SuppressWarnings("unchecked")
    static Optional<Long> lockNextQueued() {
        List<Number> ids = getEntityManager().createNativeQuery("select id from distillation_job where state ="
                + " 'QUEUED' order by id limit 1 for update skip locked").getResultList();
        return ids.stream().findFirst().map(Number::longValue);
    }

    /** Puts RUNNING jobs back in the queue: those of {@code instance}, and any whose heartbeat predates the cutoff. */
    static int requeueAbandoned(String instance, Instant heartbeatCutoff) {
        return update("state = ?1, claimedBy = null where state = ?2 and (claimedBy = ?3 or heartbeatAt is null"
                + " or heartbeatAt < ?4)", JobState.QUEUED, JobState.RUNNING, instance, heartbeatCutoff);
    }
}
