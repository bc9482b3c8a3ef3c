package dev.bristle.leaderboard;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.List;

/** One number of the BEARD paper's Tables 1-4, as printed (null where the paper prints "/"). */
@Entity
@Table(name = "paper_value")
public class PaperTableValue extends PanacheEntityBase {

    /** How the paper names the whole-training-set baseline. */
    public static final String FULL_SIZE = "Full-size";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "table_number")
    public int tableNumber;
    public String metric;
    public String mode;
    public String dataset;
    public String ipc;
    public String method;
    /** "standard" or "adversarial" (Table 4). */
    public String training;
    @Column(name = "printed_value")
    public Double value;
    /** Why the printed number is not to be trusted, where known. */
    public String note;

    public static List<PaperTableValue> forMethod(String dataset, String method) {
        return list("dataset = ?1 and lower(method) = lower(?2) order by tableNumber, mode, ipc, metric, training",
                dataset, method);
    }

    /** Methods whose CREI the paper prints as "/" in this table, for this board. */
    public static List<String> unprintedCrei(int table, String mode, String dataset, String ipc) {
        return PaperTableValue.<PaperTableValue>list("tableNumber = ?1 and metric = 'CREI' and mode = ?2"
                        + " and dataset = ?3 and ipc = ?4 and training = 'standard' and value is null order by method",
                table, mode, dataset, ipc).stream().map(v -> v.method).toList();
    }

    /** Table 4 (adversarial training against standard) for one dataset and mode, every method's both values. */
    public static List<PaperTableValue> table4(String dataset, String mode) {
        return list("tableNumber = 4 and dataset = ?1 and mode = ?2 order by method, training", dataset, mode);
    }

    public static List<PaperTableValue> fullSize(String dataset, String mode) {
        return list("dataset = ?1 and mode = ?2 and method = ?3 and training = 'standard'",
                dataset, mode, FULL_SIZE);
    }
}
