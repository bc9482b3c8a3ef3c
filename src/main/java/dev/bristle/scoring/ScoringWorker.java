package dev.bristle.scoring;

import dev.bristle.jobs.ThreadNiceness;
import dev.bristle.jobs.WorkerInstance;
import dev.bristle.config.BristleConfig;
import dev.bristle.datasetpool.DatasetPoolService;
import dev.bristle.modelpool.TrainingPoint;
import dev.bristle.datasetpool.DatasetView;
import dev.bristle.files.BlobStore;
import dev.bristle.files.Digests;
import dev.bristle.leaderboard.MeasuredEntries;
import dev.bristle.leaderboard.MeasuredEvidence;
import dev.bristle.leaderboard.MeasuredRun;
import dev.bristle.ml.evidence.WorstCase;
import dev.bristle.ml.train.TrainingRecipe;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.engine.ComputeDevice;
import dev.bristle.ml.engine.BuildInfo;
import dev.bristle.modelpool.ModelPoolService;
import dev.bristle.modelpool.ModelView;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import dev.bristle.ml.attack.GradientCensus;
import dev.bristle.ml.evidence.Estimate;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs scoring jobs' tasks off the request threads: a single background thread polls for a ready task
 * ({@link JobService#claimNextTask}), runs its part of the {@link ScoringPipeline}, writing progress and a heartbeat
 * as it goes, and goes on with the same job's next ready task; other instances sharing the database take the job's
 * other tasks meanwhile. The task that assembles a job's results puts its metrics on the matching leaderboard as a
 * MEASURED entry, once. At start-up it re-queues the tasks this instance left RUNNING and tasks whose heartbeat went
 * stale (an instance crashed); a re-queued task resumes, reusing the students and measurements already stored.
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

    @Inject
    MeasuredEntries entries;

    @Inject
    BlobStore blobs;

    @Inject
    WorkerInstance instance;

    @Inject
    PassRates rates;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
    String version;

    private volatile boolean stopping;
    private volatile LoadedTestSet lastTestSet;
    private ScheduledExecutorService poller;
    private ScheduledExecutorService heartbeats;

    void onStart(@Observes StartupEvent event) {
        heartbeats = Executors.newSingleThreadScheduledExecutor(WorkerInstance.daemon("scoring-heartbeat"));
        int requeued = recoverAbandoned();
        LOG.infof("scoring worker %s: %s; %d unfinished task(s) re-queued", instance.id(),
                config.worker().enabled() ? "polling every " + config.worker().pollSeconds() + " s" : "disabled",
                requeued);
        if (config.worker().enabled()) {
            int nice = config.worker().nice();
            java.util.concurrent.ThreadFactory threads = WorkerInstance.daemon("scoring-worker");
            poller = Executors.newSingleThreadScheduledExecutor(runnable -> threads.newThread(() -> {
                // Before its first tensor operation: PyTorch's compute threads, started from this thread, inherit it.
                if (nice != 0 && !ThreadNiceness.lowerCurrentThread(nice)) {
                    LOG.infof("scoring worker: could not lower its priority (niceness %d); jobs compete with requests",
                            nice);
                }
                runnable.run();
            }));
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

    /** Re-queues the tasks a previous run of this instance left RUNNING, and tasks whose heartbeat went stale. */
    public int recoverAbandoned() {
        return jobs.requeueAbandoned(instance.id(), instance.staleCutoff());
    }

    /**
     * Claims a ready task and runs it on the calling thread (the poller's, or a test's), then the same job's next
     * ready tasks while there are any: alone, an instance runs a whole job in one call. A task put back in the queue
     * to be retried ends the call: its next attempt comes at a later poll, by whichever instance claims it.
     *
     * @return the job worked on, or empty when no task was ready
     */
    public Optional<Long> pollOnce() {
        rates.seen();
        int stale = jobs.requeueStale(instance.staleCutoff());
        if (stale > 0) LOG.warnf("scoring worker: %d task(s) with a stale heartbeat re-queued", stale);
        Optional<JobService.TaskClaim> claimed = jobs.claimNextTask(instance.id());
        if (claimed.isEmpty()) return Optional.empty();
        long job = claimed.get().jobId();
        Optional<JobService.TaskClaim> next = claimed;
        while (next.isPresent() && next.get().jobId() == job) {
            boolean retried = run(next.get());
            if (stopping || retried) break;
            next = jobs.claimNextTask(instance.id(), job);
        }
        return Optional.of(job);
    }

    private void pollQuietly() {
        WorkerInstance.drain("scoring worker", () -> stopping, this::pollOnce, LOG);
    }

    /** Runs a claimed task; whether it failed and went back to the queue for another attempt. */
    private boolean run(JobService.TaskClaim task) {
        long id = task.jobId();
        String label = "job #" + id + " task #" + task.taskId() + " (" + task.kind().name().toLowerCase(Locale.ROOT)
                + (task.student() == null ? "" : ", student " + (task.student() + 1))
                + (task.unit() == null ? "" : ", " + task.unit().attack() + " " + task.unit().mode().key()
                + (task.unit().eps() == null ? "" : " at " + task.unit().eps())) + ")";
        LOG.infof("scoring worker: %s started", label);
        int beat = config.worker().heartbeatSeconds();
        ScheduledFuture<?> heartbeat = heartbeats.scheduleAtFixedRate(() -> beatQuietly(task.taskId()), beat, beat,
                TimeUnit.SECONDS);
        TaskListener listener = new TaskListener(task.taskId());
        try {
            JobService.Subject subject = jobs.subject(id);
            JobSettings settings = jobs.settings(id);
            TestSets.TestSet test = testSet(subject, settings);
            ScoringPipeline.Request request = request(subject, settings, test, task.kind() == TaskKind.TRAIN);
            JobStageStore store = new JobStageStore(id, subject);
            ScoringPipeline pipeline = new ScoringPipeline();
            boolean completed = switch (task.kind()) {
                case TRAIN -> {
                    List<Boolean> reused = pipeline.train(request, store, listener);
                    if (reused != null) jobs.recordReused(id, reused);
                    yield reused != null;
                }
                case EVALUATE -> pipeline.evaluate(request, store, listener, task.student());
                case ATTACK -> pipeline.attack(request, store, listener, task.student(), task.unit());
                case ASSEMBLE -> true;
            };
            JobService.Claim claim = jobs.claim(task.taskId(), instance.id());
            if (claim == JobService.Claim.LOST) {
                LOG.warnf("scoring worker: %s is no longer this instance's (re-queued as stale, or claimed by"
                        + " another instance); leaving it to its new attempt", label);
            } else if (completed && task.kind() == TaskKind.ASSEMBLE) {
                assemble(task.taskId(), id, subject, settings, test, request, store, pipeline);
            } else if (completed) {
                jobs.taskSucceeded(task.taskId());
                LOG.infof("scoring worker: %s done", label);
            } else if (claim == JobService.Claim.CANCEL_REQUESTED) {
                jobs.taskCancelled(task.taskId());
                LOG.infof("scoring worker: %s cancelled", label);
            } else {
                jobs.taskStopped(task.taskId());
                LOG.infof("scoring worker: %s interrupted by shut-down; re-queued", label);
            }
        } catch (Throwable e) {
            // Errors too (a native library that cannot load, memory running out on a huge set): the task is retried
            // or the job fails with the reason, and the worker goes on with the next one.
            LOG.errorf(e, "scoring worker: %s failed", label);
            if (jobs.claim(task.taskId(), instance.id()) != JobService.Claim.LOST
                    && jobs.taskFailed(task.taskId(), WorkerInstance.reason(e), !WorkerInstance.inputsFault(e))) {
                LOG.infof("scoring worker: %s re-queued for another attempt", label);
                return true;
            }
        } finally {
            heartbeat.cancel(false);
        }
        return false;
    }

    /** The job's last task: its results from the stored pieces, its ranking, its entries published, once. */
    private void assemble(long taskId, long id, JobService.Subject subject, JobSettings settings,
                          TestSets.TestSet test, ScoringPipeline.Request request, JobStageStore store,
                          ScoringPipeline pipeline) throws IOException {
        ScoringPipeline.Result result = pipeline.assemble(request, store,
                jobs.reused(id, request.training().students()));
        AttackProtocol protocol = AttackProtocol.fromKey(settings.protocol());
        JobResults.Ranking ranking = null;
        List<String> published = List.of();
        if (!subject.checkpoint()) {
            List<String> differences = OfficialRuns.of(protocol, config.official()).differences(
                    settings.officialRun(), result.testImages(), test.splitSize(), test.copy());
            ranking = new JobResults.Ranking(protocol.key(), differences.isEmpty() ? "ranked" : "preliminary",
                    differences);
            if (!result.metrics().isEmpty()) {
                published = entries.publish(new MeasuredRun(id, "scoring job #" + id, subject.submitter(),
                        subject.dataset(), subject.ipc(), subject.method(), subject.paperTitle(), subject.authors(),
                        protocol, TrainingRecipe.Kind.fromKey(settings.recipe()), differences,
                        result.meanCleanAccuracy(), String.format(Locale.ROOT, "mean of %d student(s) on %d test"
                        + " images", result.students().size(), result.testImages()), result.metrics(),
                        creiIntervals(result), robustAccuracy(result)));
            }
        }
        jobs.succeed(taskId, result, ranking, provenance(id, settings, DatasetKind.fromName(subject.dataset()), test,
                result), published);
        LOG.infof("scoring worker: job #%d succeeded, mean clean accuracy %.2f %%", id, result.meanCleanAccuracy());
    }

    /** The job's test images; the last ones loaded are kept, since a job's tasks all use the same. */
    private TestSets.TestSet testSet(JobService.Subject subject, JobSettings settings) throws IOException {
        String key = subject.dataset() + "/" + settings.testLimit();
        LoadedTestSet loaded = lastTestSet;
        if (loaded != null && loaded.key().equals(key)) return loaded.test();
        TestSets.TestSet test = TestSets.load(DatasetKind.fromName(subject.dataset()), config.dataDir());
        test = settings.testLimit() == null ? test : test.firstImages(settings.testLimit());
        lastTestSet = new LoadedTestSet(key, test);
        return test;
    }

    private record LoadedTestSet(String key, TestSets.TestSet test) {
    }

    /** What the pipeline works on; the distilled set is read only for training ({@code train}). */
    private ScoringPipeline.Request request(JobService.Subject subject, JobSettings settings, TestSets.TestSet test,
                                            boolean train) throws IOException {
        DatasetKind kind = DatasetKind.fromName(subject.dataset());
        if (subject.checkpoint() || !train) {
            return new ScoringPipeline.Request(subject.method(), null, kind, test, settings.training(kind),
                    settings.attackPlan(kind));
        }
        DatasetView dataset = pool.find(subject.datasetId()).orElseThrow();
        return new ScoringPipeline.Request(dataset.method(), pool.read(dataset), kind, test, settings.training(kind),
                settings.attackPlan(kind));
    }

    /** Where the job's numbers come from: settings, seeds, test data, versions, device and duration. */
    private MeasuredEvidence.Provenance provenance(long id, JobSettings settings, DatasetKind kind,
                                                   TestSets.TestSet test,
                                             ScoringPipeline.Result result) throws IOException {
        JobView job = jobs.find(id).orElseThrow();
        List<Long> seeds = new ArrayList<>();
        if (job.modelId() == null) {
            for (int i = 0; i < settings.students(); i++) seeds.add(settings.training(kind).studentSeed(i));
        }
        BuildInfo build = BuildInfo.of(ComputeDevice.select(settings.training(kind).device()));
        Instant finished = Instant.now();
        int images = result.testImages();
        return new MeasuredEvidence.Provenance(describe(settings, job.modelId() != null), seeds, test.file().getFileName().toString(),
                Files.isRegularFile(test.file()) ? Digests.sha256(test.file()) : null, test.copy(),
                images < test.splitSize() ? String.format(Locale.ROOT, "the first %,d of %,d", images,
                        test.splitSize()) : String.format(Locale.ROOT, "all %,d", images),
                version, build.djlVersion(), build.pytorchVersion(), build.device(), job.startedAt(), finished,
                job.startedAt() == null ? null : Duration.between(job.startedAt(), finished).toMillis() / 1000.0,
                test.splitSize(), build.commit(), build.threads());
    }

    /** Per mode, the worst case over the attacks, mean over the students. */
    private static Map<AttackMode, Double> robustAccuracy(ScoringPipeline.Result result) {
        return result.evidence().stream().flatMap(student -> student.worstCase().stream())
                .collect(java.util.stream.Collectors.groupingBy(WorstCase::mode, () -> new java.util.EnumMap<>(
                        AttackMode.class), java.util.stream.Collectors.averagingDouble(WorstCase::accuracy)));
    }

    /** Per mode, the CREI's bootstrap interval where one was computed. */
    private static Map<AttackMode, double[]> creiIntervals(ScoringPipeline.Result result) {
        Map<AttackMode, double[]> intervals = new java.util.EnumMap<>(AttackMode.class);
        result.uncertainty().forEach((mode, uncertainty) -> {
            Estimate crei = uncertainty.crei();
            if (crei != null && crei.low() != null && crei.high() != null) {
                intervals.put(mode, new double[] {crei.low(), crei.high()});
            }
        });
        return intervals;
    }

    /** The settings in a line, as the provenance records them. */
    private static String describe(JobSettings s, boolean checkpoint) {
        return (checkpoint ? "checkpoint evaluated as it is" : s.students() + " student(s), " + s.epochs()
                + " nominal epochs") + ", " + (s.testLimit() == null ? "the whole test split" : "the first "
                + s.testLimit() + " test images") + ", " + s.recipe() + " training, " + s.protocol() + " protocol, attacks "
                + (s.attacks().isEmpty() ? "none" : String.join(", ", s.attacks())) + " in " + String.join(" and ",
                s.modes()) + " mode, base seed " + s.seed() + (s.budgetGrid() ? ", budget grid" : "");
    }

    private void beatQuietly(long taskId) {
        try {
            jobs.heartbeat(taskId, instance.id());
            rates.seen();
        } catch (RuntimeException e) {
            LOG.warnf("scoring worker: heartbeat of task #%d failed: %s", taskId, e.getMessage());
        }
    }

    /**
     * Writes a task's progress (throttled) and, as often, reads whether to stop: a cancel request, or the claim lost
     * (another instance took the heartbeat for stale and re-queued the task: this one must not go on running it).
     */
    private final class TaskListener implements ScoringPipeline.Listener {
        private final long taskId;
        private String stage;
        private long lastWrite;
        private long lastCancelCheck;
        private boolean cancelled;

        TaskListener(long taskId) {
            this.taskId = taskId;
        }

        @Override
        public void stageStarted(ScoringPipeline.Stage stage, int total, String label) {
            this.stage = stage.name();
            jobs.progress(taskId, instance.id(), this.stage, 0, total, label);
            lastWrite = System.currentTimeMillis();
        }

        @Override
        public void progress(int done, int total, String label) {
            long now = System.currentTimeMillis();
            if (done == total || now - lastWrite >= WRITE_INTERVAL_MILLIS) {
                jobs.progress(taskId, instance.id(), stage, done, total, label);
                lastWrite = now;
            }
        }

        @Override
        public boolean cancelled() {
            if (stopping) return true;
            long now = System.currentTimeMillis();
            if (!cancelled && now - lastCancelCheck >= WRITE_INTERVAL_MILLIS) {
                cancelled = jobs.claim(taskId, instance.id()) != JobService.Claim.HELD;
                lastCancelCheck = now;
            }
            return cancelled;
        }
    }

    /**
     * Trained students become model-pool files and rows (a checkpoint evaluation's one student is its checkpoint);
     * measurements go into the job's results.
     */
    private final class JobStageStore implements ScoringPipeline.StageStore {
        private final long id;
        private final JobService.Subject subject;

        JobStageStore(long id, JobService.Subject subject) {
            this.id = id;
            this.subject = subject;
        }

        @Override
        public Optional<LinkedHashMap<String, HostTensor>> student(int index) throws IOException {
            Optional<ModelView> model = subject.checkpoint() ? models.find(subject.modelId())
                    : models.trainedStudent(id, index);
            if (model.isEmpty()) return Optional.empty();
            Path file = models.file(model.get());
            String sha256 = Digests.sha256(file);
            if (!sha256.equals(model.get().sha256())) {
                throw new IOException(file.getFileName() + " has SHA-256 " + sha256 + ", the model pool recorded "
                        + model.get().sha256() + ": the student was altered");
            }
            return Optional.of(TorchCheckpoint.readStateDict(file));
        }

        @Override
        public void studentTrained(TrainedStudent student) throws IOException {
            DatasetView dataset = pool.find(subject.datasetId()).orElseThrow();
            String fileName = String.format(Locale.ROOT, "job-%d/%s_ConvNet_%s_%d_student%d.pth", id,
                    dataset.method().replaceAll("[^A-Za-z0-9.-]", "-"),
                    dataset.dataset().replace("-", ""), dataset.ipc(), student.index());
            Files.createDirectories(config.trainedModelDir());
            Path temp = Files.createTempFile(config.trainedModelDir(), "student-", ".part");
            String sha256;
            long size;
            try {
                TorchCheckpoint.writeStateDict(student.stateDict(), temp);
                sha256 = Digests.sha256(temp);
                size = Files.size(temp);
                blobs.moveIn(BlobStore.Area.STUDENTS, fileName, temp);
            } finally {
                Files.deleteIfExists(temp);
            }
            String provenance = "trained by scoring job #" + id + " on dataset-pool set #" + dataset.id() + " ("
                    + dataset.method() + ", SHA-256 " + dataset.sha256() + "), student " + (student.index() + 1)
                    + ", seed " + student.seed() + ", " + student.curve().size() + " epochs";
            models.addTrainedStudent(id, student.index(), dataset.method(), dataset.dataset(), dataset.ipc(), fileName,
                    sha256, size, provenance);
            models.recordTrainingCurve(id, student.index(), student.curve().stream()
                    .map(e -> new TrainingPoint(e.epoch(), e.loss(), e.accuracy())).toList());
            rates.recordTraining(student, jobs.settings(id).trainingRecipe(DatasetKind.fromName(subject.dataset())));
        }

        @Override
        public OptionalDouble cleanAccuracy(int index) {
            return jobs.cleanAccuracy(id, index);
        }

        @Override
        public void cleanEvaluated(int index, CleanEvaluation evaluation) {
            jobs.recordCleanAccuracy(id, index, evaluation.accuracy());
            if (!subject.checkpoint()) models.recordTrainedAccuracy(id, index, evaluation.accuracy());
        }

        @Override
        public Optional<Measurement> attackMeasurement(int index, AttackMode mode, String attack) {
            return jobs.attackMeasurement(id, index, mode, attack);
        }

        @Override
        public void attackMeasured(int index, AttackMode mode, Measurement measurement) {
            jobs.recordAttack(id, index, mode, measurement);
            rates.recordAttack(measurement);
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
}
