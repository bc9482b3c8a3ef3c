package dev.bristle.scoring;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/** When a worker was last seen polling for work or beating for a task it runs. */
@Entity
@Table(name = "worker_seen")
public class WorkerSeen extends PanacheEntityBase {

    @Id
    @Column(name = "instance_id")
    public String instanceId;
    @Column(name = "seen_at")
    public Instant seenAt;

    /** The workers seen since {@code cutoff}, by name. */
    static List<String> since(Instant cutoff) {
        return WorkerSeen.<WorkerSeen>list("seenAt >= ?1 order by instanceId", cutoff).stream()
                .map(w -> w.instanceId).toList();
    }
}
