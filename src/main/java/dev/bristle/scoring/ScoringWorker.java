package dev.bristle.scoring;

import dev.bristle.config.BristleConfig;
import dev.bristle.datasetpool.DatasetPoolService;
import dev.bristle.modelpool.ModelPoolService;
import dev.bristle.modelpool.TrainingPoint;
import dev.bristle.datasetpool.DatasetView;
import dev.bristle.files.Digests;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.attack.GradientCensus;
import dev.bristle.ml.eval.CleanEvaluation;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.score.ScoringPipeline;
import dev.bristle.ml.score.TestSets;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.torch.TorchCheckpoint;
import dev.bristle.ml.train.TrainedStudent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs queued scoring jobs off the request threads: a single background thread polls the queue, claims a job
 * ({@link JobService#claimNext}) and runs the {@link ScoringPipeline} on it, writing progress and a heartbeat as it
 * goes; a finished job's metrics go on the matching leaderboard as a MEASURED entry. At start-up it re-queues jobs
 * this instance left RUNNING and jobs whose heartbeat went stale (an instance crashed); a re-queued job resumes,
 * reusing the students, accuracies and attack measurements it had already stored.
 */
@ApplicationScoped
public class ScoringWorker {

    private static final Logger LOG = Logger.getLogger(ScoringWorker.class);
    /** Progress is written at most this often (besides stage starts); cancellation is read as often. */
    private static final long WRITE_INTERVAL_MILLIS = 500;

    @Inject
    BristleConfig config;

    @Inject
    JobService jobs;

    @Inject
    DatasetPoolService pool;

    @Inject
    ModelPoolService models;

    private volatile boolean stopping;
    private ScheduledExecutorService poller;
    private ScheduledExecutorService heartbeats;
    private String instanceId;

    void onStart(@Observes StartupEvent event) {
        instanceId = config.worker().instanceId().orElseGet(() -> defaultInstanceId(config.home()));
        heartbeats = Executors.newSingleThreadScheduledExecutor(daemon("scoring-heartbeat"));
        int requeued = recoverAbandoned();
        LOG.infof("scoring worker %s: %s; %d unfinished job(s) re-queued", instanceId,
                config.worker().enabled() ? "polling every " + config.worker().pollSeconds() + " s" : "disabled",
                requeued);
        if (config.worker().enabled()) {
            poller = Executors.newSingleThreadScheduledExecutor(daemon("scoring-worker"));
            int seconds = config.worker().pollSeconds();
            poller.scheduleWithFixedDelay(this::pollQuietly, seconds, seconds, TimeUnit.SECONDS);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        if (poller != null) poller.shutdown();
        try {
            if (poller != null && !poller.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("scoring worker: the running job did not stop within 30 s; it is re-queued at the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        heartbeats.shutdownNow();
    }

    public String instanceId() {
        return instanceId;
    }

    /** Re-queues what a previous run of this instance left RUNNING, and jobs whose heartbeat went stale. */
    public int recoverAbandoned() {
        return jobs.requeueAbandoned(instanceId, staleCutoff());
    }

    /**
     * Claims one queued job and runs it to its end on the calling thread (the poller's, or a test's).
     *
     * @return the job run, or empty when none was queued
     */
    public Optional<Long> pollOnce() {
        int stale = jobs.requeueStale(staleCutoff());
        if (stale > 0) LOG.warnf("scoring worker: %d job(s) with a stale heartbeat re-queued", stale);
        Optional<Long> claimed = jobs.claimNext(instanceId);
        claimed.ifPresent(this::run);
        return claimed;
    }

    private void pollQuietly() {
        try {
            while (!stopping && pollOnce().isPresent()) {
                // Drain the queue before sleeping again.
            }
        } catch (Throwable e) {
            // Caught whatever it is: a scheduled task that throws is silently never run again.
            LOG.error("scoring worker: polling failed; trying again at the next poll", e);
        }
    }

    private void run(long id) {
        LOG.infof("scoring worker: job #%d started", id);
        int beat = Math.max(1, config.worker().staleSeconds() / 4);
        ScheduledFuture<?> heartbeat = heartbeats.scheduleAtFixedRate(() -> beatQuietly(id), beat, beat,
                TimeUnit.SECONDS);
        JobListener listener = new JobListener(id);
        try {
            ScoringPipeline.Result result = new ScoringPipeline().run(request(id), new JobStageStore(id), listener);
            JobService.Claim claim = jobs.claim(id, instanceId);
            if (claim == JobService.Claim.LOST) {
                LOG.warnf("scoring worker: job #%d is no longer this instance's (re-queued as stale, or claimed by"
                        + " another instance); leaving it to its new attempt", id);
            } else if (result.completed()) {
                Map<String, Object> summary = summary(result);
                if (!result.metrics().isEmpty()) {
                    summary.put("published", jobs.publish(id, result.metrics(), result.meanCleanAccuracy(),
                            String.format(Locale.ROOT, "mean of %d student(s) on %d test images",
                                    result.students().size(), result.testImages())));
                }
                jobs.finish(id, JobState.SUCCEEDED, summary, null);
                LOG.infof("scoring worker: job #%d succeeded, mean clean accuracy %.2f %%", id,
                        result.meanCleanAccuracy());
            } else if (claim == JobService.Claim.CANCEL_REQUESTED) {
                jobs.finish(id, JobState.CANCELLED, null, null);
                LOG.infof("scoring worker: job #%d cancelled", id);
            } else {
                jobs.requeue(id);
                LOG.infof("scoring worker: job #%d interrupted by shut-down; re-queued", id);
            }
        } catch (Throwable e) {
            // Errors too (a native library that cannot load, memory running out on a huge set): the job fails
            // with the reason, and the worker goes on with the next one.
            LOG.errorf(e, "scoring worker: job #%d failed", id);
            if (jobs.claim(id, instanceId) != JobService.Claim.LOST) {
                // An Error's message alone ("org/slf4j/LoggerFactory") does not say what went wrong.
                jobs.finish(id, JobState.FAILED, null,
                        e.getMessage() == null || e instanceof Error ? e.toString() : e.getMessage());
            }
        } finally {
            heartbeat.cancel(false);
        }
    }

    private ScoringPipeline.Request request(long id) throws IOException {
        JobSettings settings = jobs.settings(id);
        DatasetView dataset = pool.find(jobs.datasetOf(id)).orElseThrow();
        DatasetKind kind = DatasetKind.fromName(dataset.dataset());
        TestSets.TestSet test = TestSets.load(kind, config.dataDir());
        if (settings.testLimit() != null) test = test.firstImages(settings.testLimit());
        return new ScoringPipeline.Request(dataset.method(), pool.read(dataset), kind, test, settings.training(),
                settings.attackPlan());
    }

    private static Map<String, Object> summary(ScoringPipeline.Result result) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("meanCleanAccuracy", result.meanCleanAccuracy());
        summary.put("cleanAccuracyStd", result.cleanAccuracyStd());
        summary.put("students", result.students());
        summary.put("testSet", result.testSet());
        summary.put("testSetNote", result.testSetNote());
        summary.put("testImages", result.testImages());
        summary.put("metrics", result.metrics());
        summary.put("uncertainty", result.uncertainty());
        summary.put("evidence", result.evidence());
        if (!result.curves().isEmpty()) summary.put(JobView.CURVES, result.curves());
        return summary;
    }

    private void beatQuietly(long id) {
        try {
            jobs.heartbeat(id, instanceId);
        } catch (RuntimeException e) {
            LOG.warnf("scoring worker: heartbeat of job #%d failed: %s", id, e.getMessage());
        }
    }

    private Instant staleCutoff() {
        return Instant.now().minus(Duration.ofSeconds(config.worker().staleSeconds()));
    }

    /**
     * Writes progress (throttled) and, as often, reads whether to stop: a cancel request, or the claim lost (another
     * instance took the heartbeat for stale and re-queued the job: this one must not go on running it).
     */
    private final class JobListener implements ScoringPipeline.Listener {
        private final long id;
        private String stage;
        private long lastWrite;
        private long lastCancelCheck;
        private boolean cancelled;

        JobListener(long id) {
            this.id = id;
        }

        @Override
        public void stageStarted(ScoringPipeline.Stage stage, int total, String label) {
            this.stage = stage.name();
            jobs.progress(id, instanceId, this.stage, 0, total, label);
            lastWrite = System.currentTimeMillis();
        }

        @Override
        public void progress(int done, int total, String label) {
            long now = System.currentTimeMillis();
            if (done == total || now - lastWrite >= WRITE_INTERVAL_MILLIS) {
                jobs.progress(id, instanceId, stage, done, total, label);
                lastWrite = now;
            }
        }

        @Override
        public boolean cancelled() {
            if (stopping) return true;
            long now = System.currentTimeMillis();
            if (!cancelled && now - lastCancelCheck >= WRITE_INTERVAL_MILLIS) {
                cancelled = jobs.claim(id, instanceId) != JobService.Claim.HELD;
                lastCancelCheck = now;
            }
            return cancelled;
        }
    }

    /** Trained students become model-pool files and rows; accuracies go into the job's results. */
    private final class JobStageStore implements ScoringPipeline.StageStore {
        private final long id;

        JobStageStore(long id) {
            this.id = id;
        }

        @Override
        public Optional<LinkedHashMap<String, HostTensor>> student(int index) throws IOException {
            var model = jobs.trainedStudent(id, index);
            if (model.isEmpty()) return Optional.empty();
            Path file = config.trainedModelDir().resolve(model.get().fileName);
            String sha256 = Digests.sha256(file);
            if (!sha256.equals(model.get().expectedSha256)) {
                throw new IOException(file + " has SHA-256 " + sha256 + ", the model pool recorded "
                        + model.get().expectedSha256 + ": the trained student was altered");
            }
            return Optional.of(TorchCheckpoint.readStateDict(file));
        }

        @Override
        public void studentTrained(TrainedStudent student) throws IOException {
            DatasetView dataset = pool.find(jobs.datasetOf(id)).orElseThrow();
            String fileName = String.format(Locale.ROOT, "job-%d/%s_ConvNet_%s_%d_student%d.pth", id,
                    dataset.method().replaceAll("[^A-Za-z0-9.-]", "-"),
                    dataset.dataset().replace("-", ""), dataset.ipc(), student.index());
            Path file = config.trainedModelDir().resolve(fileName);
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), "student-", ".part");
            try {
                TorchCheckpoint.writeStateDict(student.stateDict(), temp);
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
            String provenance = "trained by scoring job #" + id + " on dataset-pool set #" + dataset.id() + " ("
                    + dataset.method() + ", SHA-256 " + dataset.sha256() + "), student " + student.index()
                    + ", seed " + student.seed() + ", " + student.curve().size() + " epochs";
            jobs.addTrainedStudent(id, student.index(), fileName, Digests.sha256(file), Files.size(file), provenance);
            models.recordTrainingCurve(id, student.index(), student.curve().stream()
                    .map(e -> new TrainingPoint(e.epoch(), e.loss(), e.accuracy())).toList());
        }

        @Override
        public OptionalDouble cleanAccuracy(int index) {
            return jobs.cleanAccuracy(id, index);
        }

        @Override
        public void cleanEvaluated(int index, CleanEvaluation evaluation) {
            jobs.recordCleanAccuracy(id, index, evaluation.accuracy());
        }

        @Override
        public Optional<Measurement> attackMeasurement(int index, AttackMode mode, String attack) {
            return jobs.attackMeasurement(id, index, mode, attack);
        }

        @Override
        public void attackMeasured(int index, AttackMode mode, Measurement measurement) {
            jobs.recordAttack(id, index, mode, measurement);
        }

        @Override
        public OptionalDouble curvePoint(int index, AttackMode mode, String attack, double eps) {
            return jobs.curvePoint(id, index, mode, attack, eps);
        }

        @Override
        public void curvePointMeasured(int index, AttackMode mode, String attack, double eps, double accuracy) {
            jobs.recordCurvePoint(id, index, mode, attack, eps, accuracy);
        }

        @Override
        public Optional<GradientCensus> gradientCensus(int index) {
            return jobs.gradientCensus(id, index);
        }

        @Override
        public void gradientsCounted(int index, GradientCensus census) {
            jobs.recordGradientCensus(id, index, census);
        }
    }

    /** Stable across restarts, so a restarted instance recognizes the jobs it left RUNNING. */
    private static String defaultInstanceId(Path home) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return host + ":" + home.toAbsolutePath().normalize();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
