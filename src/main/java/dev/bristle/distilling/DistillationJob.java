package dev.bristle.distilling;

import dev.bristle.scoring.JobState;
import dev.bristle.scoring.WorkItem;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/**
 * One distillation job: a distiller run on a dataset's real training images in the worker; the set it makes enters
 * the dataset pool ({@link #resultDatasetId}). Settings left null take the method's defaults.
 */
@Entity
@Table(name = "distillation_job")
public class DistillationJob extends WorkItem {

    /** The job engine's name for a distillation job's execution. */
    public static final String WORK = "distillation-job";

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
    /** The pooled set the job made. */
    @Column(name = "result_dataset_id")
    public Long resultDatasetId;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "submitted_by")
    public String submittedBy;

    /** Queued and running jobs of {@code submittedBy}. */
    public static long countActive(String submittedBy) {
        return count("submittedBy = ?1 and state in ?2", submittedBy, List.of(JobState.QUEUED, JobState.RUNNING));
    }
}
