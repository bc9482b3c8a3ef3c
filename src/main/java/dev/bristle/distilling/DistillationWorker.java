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
import dev.bristle.jobs.EngineWork;
import dev.bristle.jobs.JobEngine;
import dev.bristle.jobs.WorkerInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/**
 * Runs distillation jobs as the job engine hands them out ({@link EngineWork}): the distiller of
 * {@code ./bristle distill} on the dataset's training split in {@code bristle.data-dir}, progress written at most
 * twice a second, the set added to the dataset pool with its provenance. A job whose instance stopped or crashed is
 * run again from the start by the engine (every choice follows from its seed, so the set is the same).
 */
@ApplicationScoped
public class DistillationWorker implements EngineWork {

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

    @Inject
    JobEngine engine;

    @Override
    public String name() {
        return DistillationJob.WORK;
    }

    @Override
    public void failedForGood(long id) {
        jobs.failedForGood(id);
        LOG.infof("distillation worker: job #%d failed at its last attempt", id);
    }

    @Override
    public Outcome run(long id) throws Exception {
        Optional<Integer> attempt = jobs.start(id, instance.id());
        if (attempt.isEmpty()) return Outcome.ENDED;
        Path temp = null;
        try {
            DistillationJobService.Request request = jobs.request(id);
            List<String> problems = new ArrayList<>();
            DistillationSettings settings = request.settings(problems);
            if (settings == null) throw new InvalidInputException(String.join("; ", problems));
            DatasetKind kind = DatasetKind.fromName(request.dataset());
            jobs.progress(id, attempt.get(), 0, 1, "reading " + kind + "'s training split");
            var source = TrainingSources.load(kind, DataDirectory.offline(config.dataDir()));
            Distillation.Distilled distilled = Distillation.run(source, settings, new JobProgress(id, attempt.get()));
            Files.createDirectories(StaleTemporaries.ownTemporaries(config));
            temp = Files.createTempFile(StaleTemporaries.ownTemporaries(config), "distilled-", ".npz");
            distilled.writeNpz(temp);
            UploadOutcome stored = pool.addDistilled(temp, distilled.provenance(), settings.method().displayName(),
                    request.dataset(), settings.ipc(), jobs.find(id).map(DistillationJobView::submittedBy)
                            .orElse(null));
            jobs.succeed(id, stored.dataset().id());
            LOG.infof("distillation worker: job #%d made set #%d", id, stored.dataset().id());
            return Outcome.ENDED;
        } catch (CancellationException e) {
            if (engine.stopping()) {
                jobs.stopped(id);
                LOG.infof("distillation worker: job #%d interrupted by shut-down; it runs again", id);
                return Outcome.STOPPED;
            }
            LOG.infof("distillation worker: job #%d stopped: cancelled, or taken over by another attempt", id);
            return Outcome.ENDED;
        } catch (Throwable e) {
            LOG.errorf(e, "distillation worker: job #%d failed", id);
            // Thrown on, the failure is the engine's to retry with back-off; the input's own ends the job here.
            if (!jobs.failed(id, WorkerInstance.reason(e), WorkerInstance.inputsFault(e))) return Outcome.ENDED;
            throw e;
        } finally {
            StaleTemporaries.deleteQuietly(temp);
        }
    }

    /** Writes progress at most twice a second; stops the distiller when the job was cancelled or taken over. */
    private final class JobProgress implements DistillationProgress {

        private final long id;
        private final int attempt;
        private long lastWrite;
        private boolean lost;

        JobProgress(long id, int attempt) {
            this.id = id;
            this.attempt = attempt;
        }

        @Override
        public void progress(int done, int total, String label) {
            long now = System.currentTimeMillis();
            if (done < total && now - lastWrite < WRITE_INTERVAL_MILLIS) return;
            lastWrite = now;
            lost = !jobs.progress(id, attempt, done, total, label);
        }

        @Override
        public boolean cancelled() {
            return engine.stopping() || lost;
        }
    }
}
