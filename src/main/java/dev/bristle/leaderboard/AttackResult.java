package dev.bristle.leaderboard;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** One line of an evaluation log: one attack (or the clean pass) in one mode. */
@Entity
@Table(name = "attack_result")
public class AttackResult extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "run_id")
    public EvaluationRun run;

    public String attack;
    public String mode;
    /** Accuracy in percent. */
    public double accuracy;
    /** Wall time of the pass in seconds, null where the log has none. */
    public Double seconds;
    /** A known defect of this number. */
    public String note;
}
