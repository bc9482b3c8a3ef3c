package dev.bristle.scoring;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;

import java.time.Instant;
import java.util.List;

/**
 * One scoring job: a distilled set of the dataset pool (students are trained on it) or a checkpoint of the model pool
 * (evaluated as it is), the settings to score it with, and how far it got.
 */
@Entity
@Table(name = "scoring_job")
// Instances write one job's row at once (a task's start, another task's results under the row lock): an update
// writes only the columns it changed, so a start never writes back the results it read before another's commit.
@DynamicUpdate
public class ScoringJob extends WorkItem {

    /** The pooled set scored, or null for a checkpoint evaluation. */
    @Column(name = "dataset_id")
    public Long datasetId;
    /** The model-pool checkpoint evaluated, or null when students are trained on a set. */
    @Column(name = "model_id")
    public Long modelId;
    /** The pipeline stage running or last run ({@code ScoringPipeline.Stage} name). */
    public String stage;
    /** {@link JobSettings} as JSON. */
    public String settings;
    /** {@link JobResults} as JSON. */
    public String results;
    @Column(name = "cancel_requested")
    public boolean cancelRequested;
    @Column(name = "created_at")
    public Instant createdAt;
    /** The account that queued it (null for jobs from before accounts existed). */
    @Column(name = "submitted_by")
    public String submittedBy;
    /** Whether that account was a maintainer's: its measured entries need no review. */
    @Column(name = "submitted_by_maintainer")
    public boolean submittedByMaintainer;

    public static long countActive(String submittedBy) {
        return count("submittedBy = ?1 and state in ?2", submittedBy, List.of(JobState.QUEUED, JobState.RUNNING));
    }

    public static List<ScoringJob> listRecent() {
        return list("order by id desc");
    }

    public static List<ScoringJob> forDataset(long datasetId) {
        return list("datasetId = ?1 order by id desc", datasetId);
    }

    public static List<ScoringJob> forModels(List<Long> modelIds) {
        return modelIds.isEmpty() ? List.of() : list("modelId in ?1 order by id desc", modelIds);
    }

    /** Jobs under way whose work was never split into tasks (queued or running before tasks existed). */
    static List<ScoringJob> unplanned() {
        return list("from ScoringJob j where j.state in ?1 and not exists (select t.id from ScoringTask t"
                + " where t.jobId = j.id)",
                List.of(JobState.QUEUED, JobState.RUNNING));
    }
}
