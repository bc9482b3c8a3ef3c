package dev.bristle.leaderboard;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.train.TrainingRecipe;
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
 * One row of one leaderboard (dataset, IPC, attack mode, protocol, training recipe). Natural key: dataset, ipc, mode,
 * protocol, recipe, method, source, status.
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
    /** The attack protocol the numbers were measured with: BEARD's for every published entry. */
    public AttackProtocol protocol = AttackProtocol.BEARD;
    /** How the students were trained: adversarially trained entries are ranked apart from standard ones. */
    public TrainingRecipe.Kind recipe = TrainingRecipe.Kind.STANDARD;
    /** Ranked, or preliminary (measured with settings other than the protocol's official ones). */
    public EntryStatus status = EntryStatus.RANKED;
    /** For a preliminary entry: what differs from the official settings, e.g. "1 of 5 students; 20 of 1,000 epochs". */
    @Column(name = "status_reasons")
    public String statusReasons;
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
    /** A measured CREI's interval (bootstrap over students and test images); null where none was computed. */
    @Column(name = "crei_low")
    public Double creiLow;
    @Column(name = "crei_high")
    public Double creiHigh;
    public Double rrm;
    public Double aem;
    /** Clean accuracy (%) of the student(s), where a log gives it. */
    @Column(name = "clean_accuracy")
    public Double cleanAccuracy;
    /** How the clean accuracy was obtained, e.g. "mean over IPC 1, 10, 50". */
    @Column(name = "clean_accuracy_basis")
    public String cleanAccuracyBasis;
    /**
     * Robust accuracy (%) of a measured entry: an image counts when it survives every attack of the mode, mean over
     * the students; null for published entries (BEARD publishes none).
     */
    @Column(name = "robust_accuracy")
    public Double robustAccuracy;
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
    /** The verified submission that made it (a submitter's own run, verified here by recomputation); else null. */
    @Column(name = "submission_id")
    public Long submissionId;
    /** What verification recomputed, one line per check (joined by newlines); null unless made by a submission. */
    public String verification;
    /** The account whose job measured it. */
    @Column(name = "submitted_by")
    public String submittedBy;

    public static List<LeaderboardEntry> board(String dataset, String ipc, String mode, AttackProtocol protocol,
                                               TrainingRecipe.Kind recipe) {
        return list("dataset = ?1 and ipc = ?2 and mode = ?3 and protocol = ?4 and recipe = ?5 and reviewStatus = ?6",
                dataset, ipc, mode, protocol, recipe, ReviewStatus.APPROVED);
    }

    public static List<LeaderboardEntry> ofDataset(String dataset) {
        return list("dataset = ?1 and reviewStatus = ?2", dataset, ReviewStatus.APPROVED);
    }

    /** The entries a scoring job measured (one per mode it published). */
    public static List<LeaderboardEntry> ofJob(long scoringJobId) {
        return list("scoringJobId = ?1 order by mode", scoringJobId);
    }

    /** The entries a verified submission made (one per mode it published). */
    public static List<LeaderboardEntry> ofSubmission(long submissionId) {
        return list("submissionId = ?1 order by mode", submissionId);
    }

    public static List<LeaderboardEntry> ofSource(EntrySource source) {
        return list("source", source);
    }

    public static List<LeaderboardEntry> inMode(String mode, AttackProtocol protocol, TrainingRecipe.Kind recipe) {
        return list("mode = ?1 and protocol = ?2 and recipe = ?3 and reviewStatus = ?4", mode, protocol, recipe,
                ReviewStatus.APPROVED);
    }

    /** Measured entries waiting for review, oldest first; all of them, or those of one submitter. */
    public static List<LeaderboardEntry> pending(String submittedBy) {
        return submittedBy == null ? list("reviewStatus = ?1 order by id", ReviewStatus.PENDING)
                : list("reviewStatus = ?1 and submittedBy = ?2 order by id", ReviewStatus.PENDING, submittedBy);
    }

    /** A method's ranked entry from {@code source} on a board of BEARD's protocol. */
    public static Optional<LeaderboardEntry> findByNaturalKey(String dataset, String ipc, String mode, String method,
                                                             EntrySource source) {
        return find("dataset = ?1 and ipc = ?2 and mode = ?3 and protocol = ?4 and method = ?5 and source = ?6"
                        + " and status = ?7", dataset, ipc, mode, AttackProtocol.BEARD, method, source,
                EntryStatus.RANKED).firstResultOptional();
    }

    /** A method's measured entry of one status on one board. */
    public static Optional<LeaderboardEntry> findMeasured(String dataset, String ipc, String mode,
                                                         AttackProtocol protocol, TrainingRecipe.Kind recipe,
                                                         String method, EntryStatus status) {
        return find("dataset = ?1 and ipc = ?2 and mode = ?3 and protocol = ?4 and recipe = ?5 and method = ?6"
                        + " and source = ?7 and status = ?8", dataset, ipc, mode, protocol, recipe, method,
                EntrySource.MEASURED, status).firstResultOptional();
    }

    /** Made by a submission whose every check passed. */
    public boolean verified() {
        return submissionId != null;
    }

    /** What verification recomputed, one line per check; empty for an entry no submission made. */
    public List<String> verificationLines() {
        return verification == null || verification.isBlank() ? List.of() : List.of(verification.split("\n"));
    }

    public boolean ranked() {
        return status == EntryStatus.RANKED;
    }
}
