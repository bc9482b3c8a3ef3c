package dev.bristle.scoring;

import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.score.ScoringPipeline;
import dev.bristle.ml.score.TestShard;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import java.util.List;
import java.util.Locale;

/**
 * One piece of a scoring job's work, run by one instance at a time as the job engine hands it out ({@link TaskKind}).
 */
@Entity
@Table(name = "scoring_task")
public class ScoringTask extends WorkItem {

    @Column(name = "job_id")
    public long jobId;
    /** {@link TaskKind#phase()}, kept in the row so a phase's end finds the next phase's tasks. */
    public int phase;
    @Enumerated(EnumType.STRING)
    public TaskKind kind;
    /** The student an EVALUATE or ATTACK task works on. */
    @Column(name = "student_index")
    public Integer studentIndex;
    public String attack;
    /** An ATTACK task's mode key. */
    @Column(name = "attack_mode")
    public String attackMode;
    /** An ATTACK task's grid budget; null: the recorded budget. */
    public Double eps;
    /** The first test image an ATTACK task covers; null (a task planned before shards): the whole test set. */
    @Column(name = "shard_start")
    public Integer shardStart;
    /** How many test images from {@link #shardStart} it covers. */
    @Column(name = "shard_images")
    public Integer shardImages;

    static ScoringTask of(long jobId, TaskKind kind, Integer student, ScoringPipeline.AttackUnit unit) {
        return of(jobId, kind, student, unit, null);
    }

    /** An ATTACK task of {@code unit} over {@code shard} of the test images. */
    static ScoringTask of(long jobId, TaskKind kind, Integer student, ScoringPipeline.AttackUnit unit,
                          TestShard shard) {
        ScoringTask task = new ScoringTask();
        task.jobId = jobId;
        task.kind = kind;
        task.phase = kind.phase();
        task.studentIndex = student;
        if (unit != null) {
            task.attack = unit.attack();
            task.attackMode = unit.mode().key();
            task.eps = unit.eps();
        }
        if (shard != null) {
            task.shardStart = shard.start();
            task.shardImages = shard.count();
        }
        task.state = JobState.QUEUED;
        return task;
    }

    /** An ATTACK task's run. */
    public ScoringPipeline.AttackUnit unit() {
        return new ScoringPipeline.AttackUnit(attack, AttackMode.fromKey(attackMode), eps);
    }

    /** An ATTACK task's shard of the test images; null: the whole test set (a task planned before shards). */
    public TestShard shard() {
        return shardStart == null ? null : new TestShard(shardStart, shardImages);
    }

    /** "train the students", "student 1: PGD untargeted at 0.0039, images 1 to 1,024", ... */
    public String label() {
        return kind == TaskKind.ATTACK ? run() + (shardStart == null ? "" : ", " + shard().describe()) : run();
    }

    /**
     * What the task runs, its shard left out: "train the students", "student 1: PGD untargeted at 0.0039", ... (an
     * attack run's shards share it).
     */
    public String run() {
        return switch (kind) {
            case TRAIN -> "train the students";
            case EVALUATE -> "student " + (studentIndex + 1) + ": clean evaluation";
            case ATTACK -> "student " + (studentIndex + 1) + ": " + attack + " " + attackMode
                    + (eps == null ? "" : String.format(Locale.ROOT, " at %.4g", eps));
            case ASSEMBLE -> "assemble the results";
        };
    }

    static List<ScoringTask> forJob(long jobId) {
        return list("jobId = ?1 order by phase, id", jobId);
    }
}
