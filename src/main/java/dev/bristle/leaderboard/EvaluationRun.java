package dev.bristle.leaderboard;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One published evaluation log: one student (method, dataset, IPC) under every attack in both modes. */
@Entity
@Table(name = "evaluation_run")
public class EvaluationRun extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String method;
    public String dataset;
    public String ipc;
    public String model;
    /** "white-box" (the protocol behind the leaderboards), "query" or "transfer". */
    public String kind;
    /** The log file, relative to the published material. */
    @Column(name = "log_path")
    public String logPath;
    /** As the log writes it (no time zone). */
    @Column(name = "logged_at")
    public String loggedAt;
    /** Known problems of the log, one per line. */
    public String notes;

    @OneToMany(mappedBy = "run", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("id")
    public List<AttackResult> results = new ArrayList<>();

    public static List<EvaluationRun> forMethod(String dataset, String method) {
        return list("dataset = ?1 and lower(method) = lower(?2) order by kind desc, ipc, logPath", dataset, method);
    }

    public static Optional<EvaluationRun> findByLogPath(String logPath) {
        return find("logPath", logPath).firstResultOptional();
    }

    public List<String> noteLines() {
        return notes == null || notes.isBlank() ? List.of() : List.of(notes.split("\n"));
    }
}
