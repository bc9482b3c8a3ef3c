package dev.bristle.scoring;

import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.score.ScoringPipeline;
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

    static ScoringTask of(long jobId, TaskKind kind, Integer student, ScoringPipeline.AttackUnit unit) {
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
        task.state = JobState.QUEUED;
        return task;
    }

    /** An ATTACK task's run. */
    public ScoringPipeline.AttackUnit unit() {
        return new ScoringPipeline.AttackUnit(attack, AttackMode.fromKey(attackMode), eps);
    }

    /** "train the students", "student 1: PGD untargeted at 0.0039", ... */
    public String label() {
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

    static long countForJob(long jobId) {
        return count("jobId", jobId);
    }
}
