package dev.bristle.scoring;

import dev.bristle.config.BristleConfig;
import dev.bristle.datasetpool.DatasetPoolService;
import dev.bristle.datasetpool.DatasetView;
import dev.bristle.files.Digests;
import dev.bristle.jobs.EngineWork;
import dev.bristle.jobs.JobEngine;
import dev.bristle.jobs.WorkerInstance;
import dev.bristle.leaderboard.MeasuredEntries;
import dev.bristle.leaderboard.MeasuredEvidence;
import dev.bristle.leaderboard.MeasuredRun;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.engine.BuildInfo;
import dev.bristle.ml.engine.ComputeDevice;
import dev.bristle.ml.evidence.Estimate;
import dev.bristle.ml.evidence.WorstCase;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.score.ScoringPipeline;
import dev.bristle.ml.score.StudentTraining;
import dev.bristle.ml.score.TestShard;
import dev.bristle.ml.score.TestSets;
import dev.bristle.ml.train.TrainingRecipe;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs scoring jobs' tasks as the job engine hands them out ({@link EngineWork}): each its part of the
 * {@link ScoringPipeline}, writing progress as it goes; other instances sharing the database take the job's other
 * tasks meanwhile. The task that assembles a job's results puts its metrics on the matching leaderboard as a MEASURED
 * entry, once. A task whose instance stopped or died runs again, reusing the students and measurements already stored.
 */
@ApplicationScoped
public class ScoringWorker implements EngineWork {

    private static final Logger LOG = Logger.getLogger(ScoringWorker.class);
    /** Progress is written at most this often (besides stage starts); cancellation is read as often. */
    private static final long WRITE_INTERVAL_MILLIS = 500;

    @Inject
    BristleConfig config;

    @Inject
    JobService jobs;

    @Inject
    JobPieces pieces;

    @Inject
    JobTasks tasks;

    @Inject
    JobEngine engine;

    @Inject
    DatasetPoolService pool;

    @Inject
    MeasuredEntries entries;

    @Inject
    WorkerInstance instance;

    @Inject
    JobStageStore.Factory stores;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
    String version;

    private volatile LoadedTestSet lastTestSet;

    /** Splits into tasks the jobs left from before jobs had tasks. */
    void onStart(@Observes StartupEvent event) {
        int planned = jobs.planUnplanned();
        if (planned > 0) LOG.infof("scoring worker: %d job(s) from before tasks split into tasks", planned);
    }

    @Override
    public String name() {
        return JobTasks.WORK;
    }

    @Override
    public void failedForGood(long taskId) {
        tasks.failedForGood(taskId);
        LOG.infof("scoring worker: task #%d failed at its last attempt; its job failed", taskId);
    }

    @Override
    public Outcome run(long taskId) throws Exception {
        Optional<JobTasks.Started> started = tasks.start(taskId, instance.id());
        return started.isEmpty() ? Outcome.ENDED : run(started.get());
    }

    /** Runs a started task: how it ended, or thrown when it failed and waits for another attempt. */
    private Outcome run(JobTasks.Started task) throws Exception {
        long id = task.jobId();
        String label = "job #" + id + " task #" + task.taskId() + " (" + task.label() + ")";
        LOG.infof("scoring worker: %s started", label);
        TaskListener listener = new TaskListener(task.taskId(), task.attempt());
        try {
            JobService.Subject subject = jobs.subject(id);
            JobSettings settings = jobs.settings(id);
            TestSets.TestSet test = testSet(subject, settings);
            ScoringPipeline.Request request = request(subject, settings, test, task.kind() == TaskKind.TRAIN);
            JobStageStore store = stores.of(id, subject);
            ScoringPipeline pipeline = new ScoringPipeline();
            boolean completed = switch (task.kind()) {
                case TRAIN -> {
                    List<Boolean> reused = StudentTraining.train(request, store, listener);
                    if (reused != null) pieces.recordReused(id, reused);
                    yield reused != null;
                }
                case EVALUATE -> pipeline.evaluate(request, store, listener, task.student());
                case ATTACK -> pipeline.attack(request, store, listener, task.student(), task.unit(),
                        task.shard() != null ? task.shard() : TestShard.all(test.images().count()));
                case ASSEMBLE -> true;
            };
            JobTasks.Standing standing = tasks.standing(task.taskId(), task.attempt());
            if (standing == JobTasks.Standing.LOST) {
                LOG.warnf("scoring worker: %s is no longer this instance's (its instance was taken for dead and"
                        + " another attempt runs it); leaving it to that attempt", label);
            } else if (completed && task.kind() == TaskKind.ASSEMBLE) {
                assemble(task.taskId(), id, subject, settings, test, request, store, pipeline);
            } else if (completed) {
                tasks.taskSucceeded(task.taskId());
                LOG.infof("scoring worker: %s done", label);
            } else if (standing == JobTasks.Standing.CANCEL_REQUESTED) {
                tasks.taskCancelled(task.taskId());
                LOG.infof("scoring worker: %s cancelled", label);
            } else {
                tasks.taskStopped(task.taskId());
                LOG.infof("scoring worker: %s interrupted by shut-down; it runs again", label);
                return Outcome.STOPPED;
            }
            return Outcome.ENDED;
        } catch (Throwable e) {
            // Errors too (a native library that cannot load, memory running out on a huge set): thrown on, the
            // engine runs the task again after its back-off or fails the job; the input's own fault fails it here.
            LOG.errorf(e, "scoring worker: %s failed", label);
            if (tasks.standing(task.taskId(), task.attempt()) == JobTasks.Standing.LOST
                    || !tasks.taskFailed(task.taskId(), WorkerInstance.reason(e), WorkerInstance.inputsFault(e))) {
                return Outcome.ENDED;
            }
            throw e;
        }
    }

    /** The job's last task: its results from the stored pieces, its ranking, its entries published, once. */
    private void assemble(long taskId, long id, JobService.Subject subject, JobSettings settings,
                          TestSets.TestSet test, ScoringPipeline.Request request, JobStageStore store,
                          ScoringPipeline pipeline) throws IOException {
        AssemblyStore assembly = new AssemblyStore(store, pieces.stored(id));
        ScoringPipeline.Result result = pipeline.assemble(request, assembly,
                assembly.results().reused(request.training().students()));
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
        jobs.succeed(taskId, assembly.results(), result, ranking, provenance(id, subject.checkpoint(),
                settings, DatasetKind.fromName(subject.dataset()), test, result), published);
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
    private MeasuredEvidence.Provenance provenance(long id, boolean checkpoint, JobSettings settings,
                                                   DatasetKind kind, TestSets.TestSet test,
                                                   ScoringPipeline.Result result) throws IOException {
        Instant started = jobs.startedAt(id);
        List<Long> seeds = new ArrayList<>();
        if (!checkpoint) {
            for (int i = 0; i < settings.students(); i++) seeds.add(settings.training(kind).studentSeed(i));
        }
        BuildInfo build = BuildInfo.of(ComputeDevice.select(settings.training(kind).device()));
        Instant finished = Instant.now();
        int images = result.testImages();
        return new MeasuredEvidence.Provenance(describe(settings, checkpoint), seeds, test.file().getFileName().toString(),
                Files.isRegularFile(test.file()) ? Digests.sha256(test.file()) : null, test.copy(),
                images < test.splitSize() ? String.format(Locale.ROOT, "the first %,d of %,d", images,
                        test.splitSize()) : String.format(Locale.ROOT, "all %,d", images),
                version, build.djlVersion(), build.pytorchVersion(), build.device(), started, finished,
                started == null ? null : Duration.between(started, finished).toMillis() / 1000.0,
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

    /**
     * Writes a task's progress (throttled) and, as often, reads whether to stop: the instance stopping, a cancel
     * request, or the attempt lost (the engine took this instance for dead and another attempt runs the task).
     */
    private final class TaskListener implements ScoringPipeline.Listener {
        private final long taskId;
        private final int attempt;
        private String stage;
        private long lastWrite;
        private long lastCancelCheck;
        private boolean cancelled;

        TaskListener(long taskId, int attempt) {
            this.taskId = taskId;
            this.attempt = attempt;
        }

        @Override
        public void stageStarted(ScoringPipeline.Stage stage, int total, String label) {
            this.stage = stage.name();
            tasks.progress(taskId, attempt, this.stage, 0, total, label);
            lastWrite = System.currentTimeMillis();
        }

        @Override
        public void progress(int done, int total, String label) {
            long now = System.currentTimeMillis();
            if (done == total || now - lastWrite >= WRITE_INTERVAL_MILLIS) {
                tasks.progress(taskId, attempt, stage, done, total, label);
                lastWrite = now;
            }
        }

        @Override
        public boolean cancelled() {
            if (engine.stopping()) return true;
            long now = System.currentTimeMillis();
            if (!cancelled && now - lastCancelCheck >= WRITE_INTERVAL_MILLIS) {
                cancelled = tasks.standing(taskId, attempt) != JobTasks.Standing.HELD;
                lastCancelCheck = now;
            }
            return cancelled;
        }
    }
}
