package dev.bristle.distilling;

import dev.bristle.config.BristleConfig;
import dev.bristle.datasetpool.DatasetPoolService;
import dev.bristle.datasetpool.UploadOutcome;
import dev.bristle.files.StaleTemporaries;
import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.data.DataDirectory;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.distill.Distillation;
import dev.bristle.ml.distill.DistillationProgress;
import dev.bristle.ml.distill.DistillationSettings;
import dev.bristle.ml.distill.TrainingSources;
import dev.bristle.scoring.WorkerInstance;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs queued distillation jobs off the request threads, as the scoring worker runs scoring jobs (same instance
 * name, poll interval and staleness): the distiller of {@code ./bristle distill} on the dataset's training split in
 * {@code bristle.data-dir}, progress written at most twice a second, the set added to the dataset pool with its
 * provenance. A job left RUNNING by a stopped or crashed instance is re-queued and distilled again from the start
 * (every choice follows from its seed, so the set is the same).
 */
@ApplicationScoped
public class DistillationWorker {

    private static final Logger LOG = Logger.getLogger(DistillationWorker.class);
    private static final long WRITE_INTERVAL_MILLIS = 500;

    @Inject
    BristleConfig config;

    @Inject
    DistillationJobService jobs;

    @Inject
    DatasetPoolService pool;

    @Inject
    WorkerInstance instance;

    private volatile boolean stopping;
    private ScheduledExecutorService poller;

    void onStart(@Observes StartupEvent event) {
        int requeued = recoverAbandoned();
        if (requeued > 0) LOG.infof("distillation worker: %d unfinished job(s) re-queued", requeued);
        if (config.worker().enabled()) {
            poller = Executors.newSingleThreadScheduledExecutor(WorkerInstance.daemon("distillation-worker"));
            int seconds = config.worker().pollSeconds();
            poller.scheduleWithFixedDelay(this::pollQuietly, seconds, seconds, TimeUnit.SECONDS);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        if (poller != null) poller.shutdown();
    }

    /** Re-queues what a previous run of this instance left RUNNING, and jobs whose heartbeat went stale. */
    public int recoverAbandoned() {
        return jobs.requeueAbandoned(instance.id(), instance.staleCutoff());
    }

    private void pollQuietly() {
        WorkerInstance.drain("distillation worker", () -> stopping, this::pollOnce, LOG);
    }

    /** Claims one queued job and runs it on the calling thread; empty when none was queued. */
    public Optional<Long> pollOnce() {
        jobs.requeueAbandoned(null, instance.staleCutoff());
        Optional<Long> claimed = jobs.claimNext(instance.id());
        claimed.ifPresent(this::run);
        return claimed;
    }

    private void run(long id) {
        String instance = this.instance.id();
        Path temp = null;
        try {
            DistillationJobService.Request request = jobs.request(id);
            List<String> problems = new ArrayList<>();
            DistillationSettings settings = request.settings(problems);
            if (settings == null) throw new InvalidInputException(String.join("; ", problems));
            DatasetKind kind = DatasetKind.fromName(request.dataset());
            jobs.progress(id, instance, 0, 1, "reading " + kind + "'s training split");
            var source = TrainingSources.load(kind, DataDirectory.offline(config.dataDir()));
            Distillation.Distilled distilled = Distillation.run(source, settings, new JobProgress(id, instance));
            Files.createDirectories(StaleTemporaries.ownTemporaries(config));
            temp = Files.createTempFile(StaleTemporaries.ownTemporaries(config), "distilled-", ".npz");
            distilled.writeNpz(temp);
            UploadOutcome stored = pool.addDistilled(temp, distilled.provenance(), settings.method().displayName(),
                    request.dataset(), settings.ipc(), jobs.find(id).map(DistillationJobView::submittedBy)
                            .orElse(null));
            jobs.succeed(id, stored.dataset().id());
            LOG.infof("distillation worker: job #%d made set #%d", id, stored.dataset().id());
        } catch (CancellationException e) {
            if (stopping) {
                jobs.requeue(id);
                LOG.infof("distillation worker: job #%d interrupted by shut-down; re-queued", id);
            } else {
                LOG.warnf("distillation worker: job #%d is no longer this instance's; leaving it", id);
            }
        } catch (Throwable e) {
            LOG.errorf(e, "distillation worker: job #%d failed", id);
            if (jobs.failed(id, WorkerInstance.reason(e), !WorkerInstance.inputsFault(e))) {
                LOG.infof("distillation worker: job #%d re-queued for another attempt", id);
            }
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (java.io.IOException e) {
                    LOG.warnf("distillation worker: could not delete %s", temp);
                }
            }
        }
    }

    /** Writes progress (the job's heartbeat) at most twice a second; stops the distiller when the job is lost. */
    private final class JobProgress implements DistillationProgress {

        private final long id;
        private final String instance;
        private long lastWrite;
        private boolean lost;

        JobProgress(long id, String instance) {
            this.id = id;
            this.instance = instance;
        }

        @Override
        public void progress(int done, int total, String label) {
            long now = System.currentTimeMillis();
            if (done < total && now - lastWrite < WRITE_INTERVAL_MILLIS) return;
            lastWrite = now;
            lost = !jobs.progress(id, instance, done, total, label);
        }

        @Override
        public boolean cancelled() {
            return stopping || lost;
        }
    }
}
