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
import java.util.Optional;

/** One piece of a scoring job's work, claimed and run by one app instance at a time ({@link TaskKind}). */
@Entity
@Table(name = "scoring_task")
public class ScoringTask extends WorkItem {

    @Column(name = "job_id")
    public long jobId;
    /** {@link TaskKind#phase()}, kept in the row so the claim query can order and hold back tasks. */
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

    /**
     * Locks the next task ready to run for the calling transaction, skipping tasks another transaction holds: a
     * queued task of a job still under way (not cancelled) whose earlier phases have all succeeded, the oldest job's
     * first ({@code jobId} not null: of that job only). Several instances sharing one database each get a different
     * task, never the same one. (H2 applies the
     * LIMIT before skipping locked rows: it then returns nothing while the first ready task is locked, one poll later.)
     */
    @SuppressWarnings("unchecked")
    static Optional<Long> lockNextReady(Long jobId) {
        var query = getEntityManager().createNativeQuery("select t.id from scoring_task t where t.state = 'QUEUED'"
                + (jobId == null ? "" : " and t.job_id = ?1")
                + " and exists (select 1 from scoring_job j where j.id = t.job_id and j.state in ('QUEUED', 'RUNNING')"
                + " and j.cancel_requested = false)"
                + " and not exists (select 1 from scoring_task p where p.job_id = t.job_id and p.phase < t.phase"
                + " and p.state <> 'SUCCEEDED')"
                + " order by t.job_id, t.phase, t.id limit 1 for update skip locked");
        if (jobId != null) query.setParameter(1, jobId);
        List<Number> ids = query.getResultList();
        return ids.stream().findFirst().map(Number::longValue);
    }

    static List<ScoringTask> forJob(long jobId) {
        return list("jobId = ?1 order by phase, id", jobId);
    }

    static long countForJob(long jobId) {
        return count("jobId", jobId);
    }
}
