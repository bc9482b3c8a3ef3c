package dev.bristle.scoring;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.List;

/**
 * One measured shard of one attack run of a job's student, kept apart from the job's results until the job's last
 * task joins the shards of each run into its measurement.
 */
@Entity
@Table(name = "attack_shard_result")
public class AttackShardResult extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "job_id")
    public long jobId;
    @Column(name = "student_index")
    public int studentIndex;
    public String attack;
    @Column(name = "attack_mode")
    public String attackMode;
    /** The run's grid budget; null: the recorded budget. */
    public Double eps;
    @Column(name = "shard_start")
    public int shardStart;
    @Column(name = "shard_images")
    public int shardImages;
    /** The shard's {@code Measurement} as JSON, its per-image results included. */
    public String measurement;

    /** One run of a job's student: job, student, attack and mode, then its grid budget (?5) or none. */
    private static final String RUN = "jobId = ?1 and studentIndex = ?2 and attack = ?3 and attackMode = ?4 and ";

    /** The stored shards of one run of a job's student, in image order. */
    static List<AttackShardResult> of(long jobId, int student, String attack, String mode, Double eps) {
        return eps == null ? list(RUN + "eps is null order by shardStart", jobId, student, attack, mode)
                : list(RUN + "eps = ?5 order by shardStart", jobId, student, attack, mode, eps);
    }

    /** Deletes the stored shard of one run of a job's student that starts at image {@code start}, if any. */
    static void deleteShard(long jobId, int student, String attack, String mode, Double eps, int start) {
        if (eps == null) {
            delete(RUN + "eps is null and shardStart = ?5", jobId, student, attack, mode, start);
        } else {
            delete(RUN + "eps = ?5 and shardStart = ?6", jobId, student, attack, mode, eps, start);
        }
    }

    /** Deletes a job's shard rows: once its runs are joined into its results, nothing reads them. */
    static void deleteForJob(long jobId) {
        delete("jobId", jobId);
    }
}
