package dev.bristle.datasetpool;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One distilled set of the dataset pool; its file is {@code <dataset-pool-dir>/<sha256[0:2]>/<sha256><ext>}. */
@Entity
@Table(name = "distilled_dataset")
public class DistilledDataset extends PanacheEntityBase {

    /** Imported from a dataset-pool manifest at start-up, or uploaded by a user. */
    public enum Origin { IMPORTED, UPLOADED, DISTILLED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String method;
    /** As the leaderboards write it: "CIFAR-10", "CIFAR-100", "TinyImageNet", "MNIST", "Fashion-MNIST". */
    public String dataset;
    public int ipc;
    /** {@code DistilledFile.Format} key: res-pt, mtt or npz. */
    public String format;
    /** "pixels" or "mean-std". */
    public String normalization;
    /** The name(s) the file had when it arrived. */
    @Column(name = "original_name")
    public String originalName;
    public String sha256;
    @Column(name = "size_bytes")
    public long sizeBytes;
    @Column(name = "image_count")
    public int imageCount;
    @Column(name = "paper_url")
    public String paperUrl;
    public String authors;
    public String provenance;
    @Enumerated(EnumType.STRING)
    public Origin origin;
    @Column(name = "added_at")
    public Instant addedAt;
    /** The account that uploaded it; null for imported sets. */
    @Column(name = "uploaded_by")
    public String uploadedBy;
    /** Hidden by a maintainer: no longer listed, and no new job may score it. */
    public boolean hidden;

    public static Optional<DistilledDataset> findBySha256(String sha256) {
        return find("sha256", sha256).firstResultOptional();
    }

    public static List<DistilledDataset> listOrdered() {
        return list("hidden = false order by dataset, ipc, method, id");
    }

    public static long uploadsSince(String uploadedBy, Instant since) {
        return count("uploadedBy = ?1 and addedAt > ?2", uploadedBy, since);
    }
}
