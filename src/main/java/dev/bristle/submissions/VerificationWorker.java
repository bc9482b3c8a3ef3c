package dev.bristle.submissions;

import dev.bristle.accounts.Actor;
import dev.bristle.config.BristleConfig;
import dev.bristle.files.StaleTemporaries;
import dev.bristle.files.BlobStore;
import dev.bristle.files.Digests;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.score.ScoringPipeline;
import dev.bristle.ml.score.TestSets;
import dev.bristle.ml.verify.Bundle;
import dev.bristle.ml.verify.BundleReader;
import dev.bristle.ml.verify.CheckOutcome;
import dev.bristle.ml.verify.VerificationBounds;
import dev.bristle.ml.verify.VerificationContext;
import dev.bristle.ml.verify.Verifier;
import dev.bristle.scoring.OfficialRuns;
import dev.bristle.jobs.EngineWork;
import dev.bristle.jobs.JobEngine;
import dev.bristle.jobs.WorkerInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/**
 * Runs submissions' checks as the job engine hands them out ({@link EngineWork}): reads the bundle from the blob
 * store with the safe readers, runs the check ({@link Verifier#run}) against the official test split in
 * {@code bristle.data-dir}, and records its outcome. A check whose instance stopped or died is run again from its
 * start, with the same draw seed.
 */
@ApplicationScoped
public class VerificationWorker implements EngineWork {

    private static final Logger LOG = Logger.getLogger(VerificationWorker.class);
    private static final long WRITE_INTERVAL_MILLIS = 500;

    @Inject
    BristleConfig config;

    @Inject
    VerificationConfig verification;

    @Inject
    VerificationQueue queue;

    @Inject
    BlobStore blobs;

    @Inject
    WorkerInstance instance;

    @Inject
    JobEngine engine;

    private volatile OfficialTestSet lastTestSet;

    @Override
    public String name() {
        return VerificationCheckRow.WORK;
    }

    @Override
    public void failedForGood(long checkId) {
        queue.failedForGood(checkId);
        LOG.infof("verification worker: check #%d could not be run at its last attempt", checkId);
    }

    @Override
    public Outcome run(long checkId) throws Exception {
        Optional<VerificationQueue.Claim> claim = queue.start(checkId, instance.id());
        return claim.isEmpty() ? Outcome.ENDED : run(claim.get());
    }

    private Outcome run(VerificationQueue.Claim claim) throws Exception {
        String label = "submission #" + claim.submissionId() + " check " + VerificationQueue.label(claim.check());
        LOG.infof("verification worker: %s started", label);
        CheckListener listener = new CheckListener(claim.checkId(), claim.attempt());
        try (Bundle bundle = BundleReader.read(blobs.local(BlobStore.Area.BUNDLES, claim.blobName()),
                BundleReader.Limits.DEFAULT, StaleTemporaries.ownTemporaries(config))) {
            CheckOutcome outcome = new Verifier().run(claim.check(), bundle, context(claim, listener));
            VerificationQueue.Ending ending = queue.ended(claim.checkId(), claim.attempt(), outcome,
                    () -> BundleFacts.run(bundle.record(), claim.submissionId(), new Actor(claim.submittedBy(),
                            false)));
            LOG.infof("verification worker: %s %s (%s)", label, outcome.passed() ? "passed" : "failed",
                    ending.name().toLowerCase(java.util.Locale.ROOT));
            return Outcome.ENDED;
        } catch (CancellationException e) {
            if (engine.stopping()) {
                queue.stopped(claim.checkId());
                LOG.infof("verification worker: %s interrupted by shut-down; it runs again", label);
                return Outcome.STOPPED;
            }
            LOG.infof("verification worker: %s stopped: cancelled, or taken over by another attempt", label);
            return Outcome.ENDED;
        } catch (Throwable e) {
            // Thrown on, the failure is the engine's to retry with back-off; the bundle's own ends the check here.
            LOG.errorf(e, "verification worker: %s could not be run", label);
            if (!queue.failed(claim.checkId(), WorkerInstance.reason(e), WorkerInstance.inputsFault(e))) {
                return Outcome.ENDED;
            }
            throw e;
        }
    }

    /**
     * What a check runs with: the protocol's official settings as this instance applies them, the official test split
     * (the checks take the record's first images of it) and the SHA-256 of its file as read here, the secret seed,
     * the sample's size and the bounds.
     */
    private VerificationContext context(VerificationQueue.Claim claim, ScoringPipeline.Listener listener)
            throws IOException {
        OfficialTestSet test = testSet(DatasetKind.fromName(claim.dataset()));
        return new VerificationContext(OfficialRuns.of(AttackProtocol.fromKey(claim.protocol()), config.official()),
                test.split(), test.sha256(), claim.drawSeed(), verification.samplePerCell(),
                verification.studentsDrawn(), VerificationBounds.DEFAULT, "auto", listener);
    }

    /** The dataset's official test split; the last one read is kept, as a submission's checks all use the same. */
    private OfficialTestSet testSet(DatasetKind dataset) throws IOException {
        OfficialTestSet last = lastTestSet;
        if (last != null && last.dataset() == dataset) return last;
        TestSets.TestSet split = TestSets.load(dataset, config.dataDir());
        Path file = split.file();
        last = new OfficialTestSet(dataset, split, file != null && Files.isRegularFile(file) ? Digests.sha256(file)
                : null);
        lastTestSet = last;
        return last;
    }

    private record OfficialTestSet(DatasetKind dataset, TestSets.TestSet split, String sha256) {
    }

    /**
     * Writes progress at most twice a second and, as often, reads whether to stop: the instance stopping, or the
     * check cancelled or taken over by another attempt.
     */
    private final class CheckListener implements ScoringPipeline.Listener {

        private final long checkId;
        private final int attempt;
        private long lastWrite;
        private long lastCheck;
        private boolean lost;

        CheckListener(long checkId, int attempt) {
            this.checkId = checkId;
            this.attempt = attempt;
        }

        @Override
        public void stageStarted(ScoringPipeline.Stage stage, int total, String label) {
            lastWrite = System.currentTimeMillis();
            lost = !queue.progress(checkId, attempt, 0, total, label);
        }

        @Override
        public void progress(int done, int total, String label) {
            long now = System.currentTimeMillis();
            if (done < total && now - lastWrite < WRITE_INTERVAL_MILLIS) return;
            lastWrite = now;
            lost = !queue.progress(checkId, attempt, done, total, label);
        }

        @Override
        public boolean cancelled() {
            if (engine.stopping()) return true;
            long now = System.currentTimeMillis();
            if (!lost && now - lastCheck >= WRITE_INTERVAL_MILLIS) {
                lost = !queue.running(checkId, attempt);
                lastCheck = now;
            }
            return lost;
        }
    }
}
