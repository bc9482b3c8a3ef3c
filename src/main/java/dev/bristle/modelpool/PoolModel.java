package dev.bristle.modelpool;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One student of the model pool: an imported published checkpoint or a student Bristle trained. */
@Entity
@Table(name = "pool_model")
public class PoolModel extends PanacheEntityBase {

    /** Published by a benchmark (imported) or trained by Bristle. */
    public enum Origin { PUBLISHED, TRAINED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String method;
    public String dataset;
    public int ipc;
    public String architecture;
    @Column(name = "file_name")
    public String fileName;
    @Column(name = "expected_sha256")
    public String expectedSha256;
    @Column(name = "actual_sha256")
    public String actualSha256;
    @Column(name = "size_bytes")
    public Long sizeBytes;
    @Column(name = "reported_accuracy")
    public Double reportedAccuracy;
    @Enumerated(EnumType.STRING)
    public Origin origin;
    public String provenance;
    @Enumerated(EnumType.STRING)
    public ModelStatus status;
    @Column(name = "status_message")
    public String statusMessage;
    @Column(name = "imported_at")
    public Instant importedAt;
    /** For a TRAINED student: the scoring job that trained it, and its index among that job's students. */
    @Column(name = "scoring_job_id")
    public Long scoringJobId;
    @Column(name = "student_index")
    public Integer studentIndex;
    /** For a TRAINED student: loss and training accuracy per epoch. */
    @Convert(converter = TrainingCurveConverter.class)
    @Column(name = "training_curve")
    public List<TrainingPoint> trainingCurve = new ArrayList<>();

    public static Optional<PoolModel> findByFile(Origin origin, String fileName) {
        return find("origin = ?1 and fileName = ?2", origin, fileName).firstResultOptional();
    }

    public static Optional<PoolModel> findTrained(long scoringJobId, int studentIndex) {
        return find("scoringJobId = ?1 and studentIndex = ?2", scoringJobId, studentIndex).firstResultOptional();
    }

    public static List<PoolModel> publishedOf(String dataset, String method) {
        return list("origin = ?1 and dataset = ?2 and lower(method) = lower(?3) order by ipc, id", Origin.PUBLISHED,
                dataset, method);
    }

    public static List<PoolModel> listOrdered() {
        return list("order by dataset, ipc, method, id");
    }
}
