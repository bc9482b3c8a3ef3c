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
import dev.bristle.jobs.WorkerInstance;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs submissions' checks off the request threads, as the scoring worker runs scoring tasks (same instance name,
 * poll interval, staleness and attempts): claims the next ready check ({@link VerificationQueue#claimNext}), reads the
 * bundle from the blob store with the safe readers, runs the check ({@link Verifier#run}) against the official test
 * split in {@code bristle.data-dir}, and records its outcome. A check left RUNNING by a stopped or crashed instance is
 * re-queued and run again from its start, with the same draw seed.
 */
@ApplicationScoped
public class VerificationWorker {

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

    private volatile boolean stopping;
    private volatile OfficialTestSet lastTestSet;
    private ScheduledExecutorService poller;
    private ScheduledExecutorService heartbeats;

    void onStart(@Observes StartupEvent event) {
        heartbeats = Executors.newSingleThreadScheduledExecutor(WorkerInstance.daemon("verification-heartbeat"));
        int requeued = queue.requeueAbandoned(instance.id(), instance.staleCutoff());
        if (requeued > 0) LOG.infof("verification worker: %d unfinished check(s) re-queued", requeued);
        if (config.worker().enabled()) {
            poller = Executors.newSingleThreadScheduledExecutor(WorkerInstance.daemon("verification-worker"));
            int seconds = config.worker().pollSeconds();
            poller.scheduleWithFixedDelay(this::pollQuietly, seconds, seconds, TimeUnit.SECONDS);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        if (poller != null) poller.shutdown();
        heartbeats.shutdownNow();
    }

    private void pollQuietly() {
        WorkerInstance.drain("verification worker", () -> stopping, this::pollOnce, LOG);
    }

    /** Claims one ready check and runs it on the calling thread; the submission worked on, empty when none was ready. */
    public Optional<Long> pollOnce() {
        queue.requeueAbandoned(null, instance.staleCutoff());
        Optional<VerificationQueue.Claim> claimed = queue.claimNext(instance.id());
        claimed.ifPresent(this::run);
        return claimed.map(VerificationQueue.Claim::submissionId);
    }

    private void run(VerificationQueue.Claim claim) {
        String label = "submission #" + claim.submissionId() + " check " + VerificationQueue.label(claim.check());
        LOG.infof("verification worker: %s started", label);
        int beat = config.worker().heartbeatSeconds();
        CheckListener listener = new CheckListener(claim.checkId());
        ScheduledFuture<?> heartbeat = heartbeats.scheduleAtFixedRate(() -> beatQuietly(listener), beat, beat,
                TimeUnit.SECONDS);
        try (Bundle bundle = BundleReader.read(blobs.local(BlobStore.Area.BUNDLES, claim.blobName()),
                BundleReader.Limits.DEFAULT, StaleTemporaries.ownTemporaries(config))) {
            CheckOutcome outcome = new Verifier().run(claim.check(), bundle, context(claim, listener));
            VerificationQueue.Ending ending = queue.ended(claim.checkId(), instance.id(), outcome,
                    () -> BundleFacts.run(bundle.record(), claim.submissionId(), new Actor(claim.submittedBy(),
                            false)));
            LOG.infof("verification worker: %s %s (%s)", label, outcome.passed() ? "passed" : "failed",
                    ending.name().toLowerCase(java.util.Locale.ROOT));
        } catch (CancellationException e) {
            if (stopping) {
                queue.requeue(claim.checkId());
                LOG.infof("verification worker: %s interrupted by shut-down; re-queued", label);
            } else {
                LOG.infof("verification worker: %s stopped: cancelled, or no longer this instance's", label);
            }
        } catch (Throwable e) {
            LOG.errorf(e, "verification worker: %s could not be run", label);
            if (queue.failed(claim.checkId(), WorkerInstance.reason(e), !WorkerInstance.inputsFault(e))) {
                LOG.infof("verification worker: %s re-queued for another attempt", label);
            }
        } finally {
            heartbeat.cancel(false);
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

    /** The heartbeat of a check that reports no progress for a while; a check no longer ours is told to stop. */
    private void beatQuietly(CheckListener listener) {
        try {
            if (!queue.heartbeat(listener.checkId, instance.id())) listener.lost = true;
        } catch (RuntimeException e) {
            LOG.warnf("verification worker: heartbeat of check #%d failed: %s", listener.checkId, e.getMessage());
        }
    }

    /** Writes progress (the check's heartbeat too) at most twice a second; stops the check once it is not ours. */
    private final class CheckListener implements ScoringPipeline.Listener {

        private final long checkId;
        private long lastWrite;
        private volatile boolean lost;

        CheckListener(long checkId) {
            this.checkId = checkId;
        }

        @Override
        public void stageStarted(ScoringPipeline.Stage stage, int total, String label) {
            lastWrite = System.currentTimeMillis();
            lost = !queue.progress(checkId, instance.id(), 0, total, label);
        }

        @Override
        public void progress(int done, int total, String label) {
            long now = System.currentTimeMillis();
            if (done < total && now - lastWrite < WRITE_INTERVAL_MILLIS) return;
            lastWrite = now;
            lost = !queue.progress(checkId, instance.id(), done, total, label);
        }

        @Override
        public boolean cancelled() {
            return stopping || lost;
        }
    }
}
