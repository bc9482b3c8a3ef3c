package dev.bristle.leaderboard;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * One row of one leaderboard (dataset, IPC, attack mode). Natural key: dataset, ipc, mode, method, source.
 * Targeted boards only know CREI per IPC (paper Table 2): RRM and AEM are null there.
 */
@Entity
@Table(name = "leaderboard_entry")
public class LeaderboardEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** As published: "CIFAR-10", "CIFAR-100", "TinyImageNet". */
    public String dataset;
    /** "1", "10", "50" or "all". */
    public String ipc;
    /** "targeted" or "untargeted". */
    public String mode;
    public String method;
    @Column(name = "paper_title")
    public String paperTitle;
    public String author;
    public String venue;
    public LocalDate updated;
    @Column(name = "code_available")
    public boolean codeAvailable;
    @Column(name = "distilled_data_available")
    public boolean distilledDataAvailable;
    public double crei;
    public Double rrm;
    public Double aem;
    /** Clean accuracy (%) of the student(s), where a log gives it. */
    @Column(name = "clean_accuracy")
    public Double cleanAccuracy;
    /** How the clean accuracy was obtained, e.g. "mean over IPC 1, 10, 50". */
    @Column(name = "clean_accuracy_basis")
    public String cleanAccuracyBasis;
    @Enumerated(EnumType.STRING)
    public EntrySource source;
    /** The file, and the table within it, the numbers come from. */
    @Column(name = "source_reference")
    public String sourceReference;
    /** The scoring job that measured a MEASURED entry; null for published ones. */
    @Column(name = "scoring_job_id")
    public Long scoringJobId;
    /** The rank the leaderboard site prints; null where the numbers come from elsewhere. */
    @Column(name = "published_rank")
    public Integer publishedRank;
    /** Published entries are approved; a measured one waits for a maintainer unless a maintainer queued its job. */
    @Column(name = "review_status")
    @jakarta.persistence.Convert(converter = ReviewStatus.Column.class)
    public ReviewStatus reviewStatus = ReviewStatus.APPROVED;
    /** Why a maintainer rejected (or approved) it. */
    @Column(name = "review_reason")
    public String reviewReason;
    /** The account whose job measured it. */
    @Column(name = "submitted_by")
    public String submittedBy;

    public static List<LeaderboardEntry> board(String dataset, String ipc, String mode) {
        return list("dataset = ?1 and ipc = ?2 and mode = ?3 and reviewStatus = ?4", dataset, ipc, mode,
                ReviewStatus.APPROVED);
    }

    public static List<LeaderboardEntry> ofDataset(String dataset) {
        return list("dataset = ?1 and reviewStatus = ?2", dataset, ReviewStatus.APPROVED);
    }

    public static List<LeaderboardEntry> ofSource(EntrySource source) {
        return list("source", source);
    }

    public static List<LeaderboardEntry> inMode(String mode) {
        return list("mode = ?1 and reviewStatus = ?2", mode, ReviewStatus.APPROVED);
    }

    /** Measured entries waiting for review, oldest first; all of them, or those of one submitter. */
    public static List<LeaderboardEntry> pending(String submittedBy) {
        return submittedBy == null ? list("reviewStatus = ?1 order by id", ReviewStatus.PENDING)
                : list("reviewStatus = ?1 and submittedBy = ?2 order by id", ReviewStatus.PENDING, submittedBy);
    }

    public static Optional<LeaderboardEntry> findByNaturalKey(String dataset, String ipc, String mode, String method,
                                                             EntrySource source) {
        return find("dataset = ?1 and ipc = ?2 and mode = ?3 and method = ?4 and source = ?5",
                dataset, ipc, mode, method, source).firstResultOptional();
    }
}
