package dev.bristle.submissions;

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

/**
 * A bundle a submitter uploaded for verification: the stored file (blob store, area BUNDLES, by its SHA-256), what
 * its record says it measured, its state, and the seed the server drew for its sample, secret until verification
 * ends. Its checks are {@link VerificationCheckRow}s.
 */
@Entity
@Table(name = "submission")
public class Submission extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "submitted_by")
    public String submittedBy;
    /** The file name it was uploaded under (cut to fit), shown to its readers only. */
    @Column(name = "original_name")
    public String originalName;
    public String sha256;
    @Column(name = "size_bytes")
    public long sizeBytes;
    @Enumerated(EnumType.STRING)
    public SubmissionState state;
    /** The record's dataset, by display name ("Fashion-MNIST"). */
    public String dataset;
    public int ipc;
    public String method;
    /** The record's protocol key. */
    public String protocol;
    /** The record's training recipe key. */
    public String recipe;
    /** The SHA-256 of the distilled set inside: a set whose verification failed is not verified again. */
    @Column(name = "set_sha256")
    public String setSha256;
    /** Drawn with SecureRandom when verification starts; shown once it has ended. */
    @Column(name = "draw_seed")
    public Long drawSeed;
    /** Why verification could not be completed (not a failed check: those keep their figures). */
    @Column(name = "error_message")
    public String errorMessage;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Submissions stored by {@code submittedBy} since {@code since}: what the hourly quota counts. */
    static long countSince(String submittedBy, Instant since) {
        return count("submittedBy = ?1 and createdAt > ?2", submittedBy, since);
    }

    /** An earlier submission of the same set whose verification failed. */
    static java.util.Optional<Submission> failedOfSet(String setSha256) {
        return find("setSha256 = ?1 and state = ?2 order by id", setSha256, SubmissionState.FAILED)
                .firstResultOptional();
    }

    /** Newest first: all of them ({@code owner} null) or one submitter's. */
    static List<Submission> newestFirst(String owner) {
        return owner == null ? list("order by id desc") : list("submittedBy = ?1 order by id desc", owner);
    }

    /** Where it is stored: {@code ab/abcdef....zip}. */
    String blobName() {
        return blobName(sha256);
    }

    static String blobName(String sha256) {
        return sha256.substring(0, 2) + "/" + sha256 + ".zip";
    }
}
