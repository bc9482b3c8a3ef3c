package dev.bristle.scoring;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The passes one worker spent on one device on one kind of work, and the seconds they took, summed. */
@Entity
@Table(name = "worker_pass_rate")
public class WorkerPassRate extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "instance_id")
    public String instanceId;
    public String device;
    public PassKind kind;
    public double passes;
    public double seconds;
    @Column(name = "updated_at")
    public Instant updatedAt;

    static Optional<WorkerPassRate> find(String instance, String device, PassKind kind) {
        return find("instanceId = ?1 and device = ?2 and kind = ?3", instance, device, kind).firstResultOptional();
    }

    /** Every row of {@code kind}, the most recently updated first. */
    static List<WorkerPassRate> ofKind(PassKind kind) {
        return list("kind = ?1 order by updatedAt desc", kind);
    }

    double perSecond() {
        return passes / seconds;
    }
}
