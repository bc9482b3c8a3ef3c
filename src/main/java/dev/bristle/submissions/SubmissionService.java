package dev.bristle.submissions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bristle.accounts.Account;
import dev.bristle.accounts.AccountsConfig;
import dev.bristle.accounts.Actor;
import dev.bristle.accounts.AuditService;
import dev.bristle.accounts.QuotaExceeded;
import dev.bristle.config.BristleConfig;
import dev.bristle.datasetpool.UploadedFile;
import dev.bristle.files.BlobStore;
import dev.bristle.files.Digests;
import dev.bristle.files.StaleTemporaries;
import dev.bristle.input.InvalidInputException;
import dev.bristle.leaderboard.VerifiedEntries;
import dev.bristle.ml.verify.Bundle;
import dev.bristle.ml.verify.BundleReader;
import dev.bristle.ml.verify.CheckOutcome;
import dev.bristle.ml.verify.VerificationCheck;
import dev.bristle.scoring.JobState;
import dev.bristle.text.Excerpts;
import dev.bristle.text.ServerPaths;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.ForbiddenException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Submissions as their submitters and readers see them: a bundle checked as hard as any upload (size, the safe zip
 * and unpickling readers, the record's schema) before anything is stored, the hourly quota counted with the account's
 * row locked, the lists and pages (a submission is its owner's and the maintainers' until its entry is approved), and
 * cancelling. The checks themselves are {@link VerificationQueue}'s and {@link VerificationWorker}'s.
 */
@ApplicationScoped
public class SubmissionService {

    static final int MAX_FILE_NAME_LENGTH = 240;
    /** A reader's message is a sentence or two; this bounds what a refusal can be made to say. */
    private static final int MAX_PROBLEM_LENGTH = 600;

    @Inject
    VerificationQueue queue;

    @Inject
    BristleConfig config;

    @Inject
    AccountsConfig accounts;

    @Inject
    BlobStore blobs;

    @Inject
    AuditService audit;

    @Inject
    VerifiedEntries entries;

    @Inject
    ObjectMapper json;

    /**
     * Checks and stores a bundle, its checks queued. Throws {@link BundleRejected} listing the problems (then nothing
     * is stored) and {@link QuotaExceeded} beyond a submitter's hourly quota.
     */
    public SubmissionView submit(UploadedFile file, Actor submitter) {
        // Refused before the file is read; the insert checks again, atomically (concurrent submissions).
        if (!submitter.maintainer()) QuarkusTransaction.requiringNew().run(() -> requireQuota(submitter.name()));
        List<String> problems = fileProblems(file);
        if (!problems.isEmpty()) throw new BundleRejected(400, problems);
        Path temp = null;
        try {
            temp = newTempFile();
            Files.copy(file.path(), temp, StandardCopyOption.REPLACE_EXISTING);
            BundleFacts facts = read(temp);
            String sha256 = Digests.sha256(temp);
            long size = Files.size(temp);
            String name = Submission.blobName(sha256);
            boolean moved = !blobs.exists(BlobStore.Area.BUNDLES, name);
            if (moved) blobs.moveIn(BlobStore.Area.BUNDLES, name, temp);
            try {
                Submission row = QuarkusTransaction.requiringNew().call(() -> insert(file.fileName(), sha256, size,
                        facts, submitter));
                return QuarkusTransaction.requiringNew().call(() -> view(Submission.findById(row.id)));
            } catch (RuntimeException e) {
                if (moved && QuarkusTransaction.requiringNew().call(() -> Submission.count("sha256", sha256)) == 0) {
                    blobs.delete(BlobStore.Area.BUNDLES, name);
                }
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the bundle " + file.fileName() + ": " + e.getMessage(), e);
        } finally {
            StaleTemporaries.deleteQuietly(temp);
        }
    }

    /** Every submission the viewer may see, newest first: all for a maintainer, else the public ones and their own. */
    @Transactional
    public List<SubmissionView> list(Actor viewer) {
        return Submission.newestFirst(null).stream().filter(s -> visible(s, viewer)).map(this::view).toList();
    }

    /** A submission, if the viewer may see it (its owner, a maintainer, or anyone once its entry is approved). */
    @Transactional
    public Optional<SubmissionView> find(long id, Actor viewer) {
        return Submission.<Submission>findByIdOptional(id).filter(s -> visible(s, viewer)).map(this::view);
    }

    /**
     * Ends a submission's verification at once, CANCELLED, its checks with it (a running one stops at its next
     * progress report). Only its owner or a maintainer may; anyone else gets a ForbiddenException.
     */
    @Transactional
    public Optional<SubmissionView> cancel(long id, Actor actor) {
        return Submission.<Submission>findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .filter(s -> visible(s, actor)).map(s -> {
                    if (!actor.maintainer() && !actor.name().equals(s.submittedBy)) {
                        throw new ForbiddenException("Only the submission's owner or a maintainer may cancel"
                                + " submission #" + id + ".");
                    }
                    if (!s.state.ended()) {
                        queue.endRest(s, SubmissionState.CANCELLED, null, JobState.CANCELLED, null);
                        audit.record(actor.name(), "cancel-submission", "submission", id, null);
                    }
                    return view(s);
                });
    }

    private boolean visible(Submission s, Actor viewer) {
        if (viewer.maintainer() || (viewer.name() != null && viewer.name().equals(s.submittedBy))) return true;
        return s.state == SubmissionState.VERIFIED && entries.ofSubmission(s.id).stream()
                .anyMatch(e -> e.review().equals("approved"));
    }

    private SubmissionView view(Submission s) {
        List<SubmissionView.CheckView> checks = VerificationCheckRow.ofSubmission(s.id).stream()
                .map(row -> SubmissionView.CheckView.of(row, outcome(row))).toList();
        List<VerifiedEntries.SubmittedEntry> made = entries.ofSubmission(s.id);
        String review = made.stream().map(VerifiedEntries.SubmittedEntry::review).findFirst().orElse(null);
        return new SubmissionView(s.id, "/submissions/" + s.id, s.submittedBy, s.originalName, s.sha256, s.sizeBytes,
                s.state.key(), review, s.dataset, s.ipc, s.method, s.protocol, s.recipe, s.setSha256,
                s.state.ended() ? s.drawSeed : null, ServerPaths.hide(s.errorMessage), s.createdAt, s.updatedAt,
                checks, made.stream().map(VerifiedEntries.SubmittedEntry::url).distinct().toList());
    }

    private CheckOutcome outcome(VerificationCheckRow row) {
        if (row.outcome == null) return null;
        try {
            return json.readValue(row.outcome, CheckOutcome.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("check #" + row.id + " has an unreadable outcome: " + e.getOriginalMessage(),
                    e);
        }
    }

    /** The bundle read by the safe readers and its record validated: what it says it measured, or a refusal. */
    private BundleFacts read(Path temp) {
        try (Bundle bundle = BundleReader.read(temp, BundleReader.Limits.DEFAULT,
                StaleTemporaries.ownTemporaries(config))) {
            return BundleFacts.of(bundle.record());
        } catch (InvalidInputException | IOException e) {
            throw new BundleRejected(400, List.of("Bundle: " + Excerpts.cut(ServerPaths.hide(String.valueOf(
                    e.getMessage())), MAX_PROBLEM_LENGTH)));
        }
    }

    private Submission insert(String fileName, String sha256, long size, BundleFacts facts, Actor submitter) {
        if (!submitter.maintainer()) requireQuota(submitter.name());
        Optional<Submission> same = Submission.find("sha256 = ?1 and state <> ?2 order by id", sha256,
                SubmissionState.CANCELLED).firstResultOptional();
        if (same.isPresent()) {
            throw new BundleRejected(409, List.of("Bundle: this bundle was submitted already, as submission #"
                    + same.get().id + "."));
        }
        Optional<Submission> failed = Submission.failedOfSet(facts.setSha256());
        if (failed.isPresent()) {
            throw new BundleRejected(409, List.of("Bundle: its set failed verification in submission #"
                    + failed.get().id + "; a set is verified once, or a maintainer looks into it."));
        }
        Instant now = Instant.now();
        Submission row = new Submission();
        row.submittedBy = submitter.name();
        row.originalName = Excerpts.cut(fileName, 300);
        row.sha256 = sha256;
        row.sizeBytes = size;
        row.state = SubmissionState.RECEIVED;
        row.dataset = facts.dataset().displayName();
        row.ipc = facts.ipc();
        row.method = facts.method();
        row.protocol = facts.protocol().key();
        row.recipe = facts.recipe().key();
        row.setSha256 = facts.setSha256();
        row.createdAt = now;
        row.updatedAt = now;
        row.persist();
        for (VerificationCheck check : VerificationCheck.values()) VerificationCheckRow.queued(row.id, check).persist();
        queue.scheduleFirst(row.id);
        audit.record(submitter.name(), "submit", "submission", row.id, row.method + " " + row.dataset + " IPC "
                + row.ipc);
        return row;
    }

    /**
     * Refuses a submitter's submission beyond the hourly quota. The account's row stays locked until the calling
     * transaction ends, so concurrent submissions count and insert one at a time and the quota holds.
     */
    private void requireQuota(String submitter) {
        Account.lockForQuota(submitter);
        long recent = Submission.countSince(submitter, Instant.now().minus(Duration.ofHours(1)));
        int limit = accounts.quota().submissionsPerHour();
        if (recent >= limit) {
            throw new QuotaExceeded(true, List.of("you submitted " + recent + " bundle(s) in the last hour, the most"
                    + " a submitter may (" + limit + "); try again later"));
        }
    }

    private List<String> fileProblems(UploadedFile file) {
        List<String> problems = new ArrayList<>();
        if (file == null) {
            problems.add("Bundle: choose the bundle's file (made by ./bristle score ... --bundle).");
            return problems;
        }
        if (file.fileName().length() > MAX_FILE_NAME_LENGTH) {
            problems.add("Bundle: the file name is longer than " + MAX_FILE_NAME_LENGTH + " characters; rename it.");
            return problems;
        }
        try {
            long size = Files.size(file.path());
            if (size == 0) problems.add("Bundle: " + Excerpts.of(file.fileName()) + " is empty.");
            if (size > config.uploadMaxBytes()) {
                problems.add("Bundle: the file is " + size + " bytes, more than the limit of "
                        + config.uploadMaxBytes() + " bytes (" + config.uploadMaxBytes() / (1024 * 1024) + " MiB).");
            }
        } catch (IOException e) {
            problems.add("Bundle: the file could not be read back after the upload.");
        }
        return problems;
    }

    /** Temporary files live inside the pool directory, so moving one into the blob store is a rename. */
    private Path newTempFile() throws IOException {
        Path directory = config.datasetPoolDir().resolve("tmp");
        Files.createDirectories(directory);
        return Files.createTempFile(directory, "bundle-", ".part");
    }
}
