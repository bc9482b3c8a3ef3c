package dev.bristle.scoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bristle.accounts.AccountsConfig;
import dev.bristle.accounts.Actor;
import dev.bristle.accounts.AuditService;
import dev.bristle.accounts.QuotaExceeded;
import dev.bristle.config.BristleConfig;
import dev.bristle.datasetpool.DistilledDataset;
import dev.bristle.input.InvalidInputException;
import dev.bristle.leaderboard.Dataset;
import dev.bristle.leaderboard.Links;
import dev.bristle.leaderboard.MeasuredEvidence;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.score.AttackStage;
import dev.bristle.ml.score.ScoringPipeline;
import dev.bristle.ml.score.TestShard;
import dev.bristle.text.ServerPaths;
import dev.bristle.modelpool.ModelStatus;
import dev.bristle.modelpool.PoolModel;
import io.quarkus.security.ForbiddenException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Scoring jobs in the database: queueing (split into tasks, the first phase's handed to the job engine), cancellation,
 * the end of a job and how a job is shown ({@link JobPieces} keeps what its tasks measured). Each method is one short
 * transaction of its own.
 */
@ApplicationScoped
public class JobService {

    @Inject
    AccountsConfig accounts;

    @Inject
    AuditService audit;

    @Inject
    ActiveJobs activeJobs;

    @Inject
    BristleConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    JobTasks tasks;

    @Inject
    JobPieces pieces;

    /** Queues a job for a pooled set; the settings must have no {@link JobSettings#problems()}. */
    @Transactional
    public JobView enqueue(long datasetId, JobSettings settings, Actor actor) {
        queueableSet(datasetId, settings);
        if (!actor.maintainer()) checkQuota(settings, actor);
        ScoringJob job = new ScoringJob();
        job.datasetId = datasetId;
        return queue(job, settings, actor, "set #" + datasetId);
    }

    /**
     * Queues the evaluation of a model-pool checkpoint as it is (no training: one student, the checkpoint); the
     * settings must have no {@link JobSettings#checkpointProblems()}.
     */
    @Transactional
    public JobView enqueueCheckpoint(long modelId, JobSettings settings, Actor actor) {
        queueableCheckpoint(modelId, settings);
        if (!actor.maintainer()) checkQuota(settings, actor);
        ScoringJob job = new ScoringJob();
        job.modelId = modelId;
        return queue(job, settings, actor, "checkpoint #" + modelId);
    }

    /**
     * The pooled set a job with {@code settings} may be queued for (call inside a transaction); the same refusals
     * whether the job is queued or only estimated.
     *
     * @throws InvalidInputException for settings with problems, an unknown or hidden set, or a protocol in which the
     *                               set's dataset has no boards
     */
    static DistilledDataset queueableSet(long datasetId, JobSettings settings) {
        if (!settings.problems().isEmpty()) throw new InvalidInputException(String.join("; ", settings.problems()));
        DistilledDataset set = DistilledDataset.<DistilledDataset>findByIdOptional(datasetId).orElseThrow(() ->
                new InvalidInputException("the dataset pool has no set #" + datasetId));
        if (set.hidden) throw new InvalidInputException("set #" + datasetId + " is hidden by a maintainer");
        AttackProtocol protocol = AttackProtocol.fromKey(settings.protocol());
        // A run no board can hold would be measured and then published nowhere: refuse it before it costs hours.
        Dataset.fromLabel(set.dataset).filter(d -> !d.hasBoardsIn(protocol)).ifPresent(d -> {
            throw new InvalidInputException(d.label() + " has boards in the sound protocol only: queue it with"
                    + " protocol sound, not " + protocol.key());
        });
        return set;
    }

    /**
     * The model-pool checkpoint an evaluation with {@code settings} may be queued for (inside a transaction).
     *
     * @throws InvalidInputException for settings with problems, or a checkpoint unknown or not available
     */
    static PoolModel queueableCheckpoint(long modelId, JobSettings settings) {
        if (!settings.checkpointProblems().isEmpty()) {
            throw new InvalidInputException(String.join("; ", settings.checkpointProblems()));
        }
        PoolModel model = PoolModel.<PoolModel>findByIdOptional(modelId).orElseThrow(() ->
                new InvalidInputException("the model pool has no checkpoint #" + modelId));
        if (model.status != ModelStatus.AVAILABLE) {
            throw new InvalidInputException("checkpoint #" + modelId + " (" + model.fileName + ") cannot be"
                    + " evaluated: " + model.statusMessage);
        }
        return model;
    }

    private JobView queue(ScoringJob job, JobSettings settings, Actor actor, String subject) {
        job.submittedBy = actor.name();
        job.submittedByMaintainer = actor.maintainer();
        job.state = JobState.QUEUED;
        job.settings = pieces.write(settings);
        job.createdAt = Instant.now();
        job.persist();
        plan(job, settings);
        tasks.scheduleFirstPhase(job.id);
        audit.record(actor.name(), "queue-job", "job", job.id, subject + ", " + settings.epochs()
                + " epochs, " + settings.students() + " students, protocol " + settings.protocol());
        return view(job);
    }

    /** A submitter's job must fit the quotas: ceilings on its settings, and a number of jobs at once. */
    private void checkQuota(JobSettings settings, Actor actor) {
        AccountsConfig.Quota quota = accounts.quota();
        List<String> problems = new ArrayList<>();
        if (settings.epochs() > quota.maxEpochs()) {
            problems.add("epochs: at most " + quota.maxEpochs() + " for a submitter, not " + settings.epochs());
        }
        if (settings.students() > quota.maxStudents()) {
            problems.add("students: at most " + quota.maxStudents() + " for a submitter, not " + settings.students());
        }
        if (settings.testLimit() != null && settings.testLimit() > quota.maxTestImages()) {
            problems.add("testLimit: at most " + quota.maxTestImages() + " test images for a submitter, not "
                    + settings.testLimit());
        }
        if (!problems.isEmpty()) throw new QuotaExceeded(false, problems);
        activeJobs.require(actor.name());
    }

    /**
     * Splits a job's work into tasks: training the students (unless a checkpoint is evaluated), each student's clean
     * evaluation and each of its attack runs, one task per shard of the test images ({@code
     * bristle.scoring.shard-images}, rounded up to whole batches), then assembling the results.
     */
    private void plan(ScoringJob job, JobSettings settings) {
        Subject subject = subject(job);
        if (!subject.checkpoint()) ScoringTask.of(job.id, TaskKind.TRAIN, null, null).persist();
        DatasetKind dataset = DatasetKind.fromName(subject.dataset());
        List<ScoringPipeline.AttackUnit> units = settings.attacks().isEmpty() ? List.of()
                : AttackStage.units(settings.attackPlan(dataset), dataset.classCount());
        List<TestShard> split = TestShard.split(CostEstimates.testImages(settings), config.scoring().shardImages());
        // One shard is the whole test set: its tasks carry none, as tasks planned before shards.
        List<TestShard> shards = split.size() == 1 ? java.util.Collections.singletonList(null) : split;
        int students = subject.checkpoint() ? 1 : settings.students();
        for (int i = 0; i < students; i++) {
            ScoringTask.of(job.id, TaskKind.EVALUATE, i, null).persist();
            for (ScoringPipeline.AttackUnit unit : units) {
                for (TestShard shard : shards) ScoringTask.of(job.id, TaskKind.ATTACK, i, unit, shard).persist();
            }
        }
        ScoringTask.of(job.id, TaskKind.ASSEMBLE, null, null).persist();
    }

    /**
     * Splits into tasks the jobs under way that have none: queued or running before jobs had tasks. Their pieces
     * stored so far are reused by the tasks.
     *
     * @return how many jobs were planned
     */
    @Transactional
    public int planUnplanned() {
        List<ScoringJob> unplanned = ScoringJob.unplanned();
        for (ScoringJob job : unplanned) {
            JobAttempt.closeWholeJob(job.id, Instant.now());
            job.claimedBy = null;
            plan(job, readSettings(job));
            tasks.scheduleFirstPhase(job.id);
        }
        return unplanned.size();
    }

    /**
     * Cancels a queued job at once; asks a running one to stop (it does between batches). Only its submitter or a
     * maintainer may: anyone else gets a ForbiddenException.
     */
    @Transactional
    public Optional<JobView> cancel(long id, Actor actor) {
        return ScoringJob.<ScoringJob>findByIdOptional(id).map(job -> {
            if (!actor.maintainer() && !actor.name().equals(job.submittedBy)) {
                throw new ForbiddenException("Only the job's submitter or a maintainer may cancel job #" + id + ".");
            }
            if (!job.state.ended()) {
                job.cancelRequested = true;
                audit.record(actor.name(), "cancel-job", "job", id, null);
                tasks.settleCancelled(job);
            }
            return view(job);
        });
    }

    /**
     * Ends a job whose results were assembled: its last task, with the summary beside the pieces it measured.
     *
     * @param joined the job's pieces with every attack run's shards joined, as the assembly left them
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void succeed(long taskId, JobResults joined, ScoringPipeline.Result result, JobResults.Ranking ranking,
                 MeasuredEvidence.Provenance provenance, List<String> published) {
        ScoringTask task = JobTasks.endTask(taskId, JobState.SUCCEEDED, null);
        ScoringJob job = ScoringJob.findById(task.jobId, LockModeType.PESSIMISTIC_WRITE);
        job.results = pieces.write(joined.withSummary(result, ranking, provenance, published));
        job.end(JobState.SUCCEEDED, null, task.finishedAt);
        AttackShardResult.deleteForJob(job.id);
    }

    /** When job {@code id}'s first task was claimed; null before. */
    @Transactional
    public Instant startedAt(long id) {
        return ScoringJob.<ScoringJob>findById(id).startedAt;
    }

    @Transactional
    public JobSettings settings(long id) {
        ScoringJob job = ScoringJob.findById(id);
        return readSettings(job);
    }

    /**
     * What job {@code id} measures: the pooled set it trains students on, or the checkpoint it evaluates.
     *
     * @param datasetId  the pooled set, or null for a checkpoint
     * @param modelId    the checkpoint, or null for a set
     * @param paperTitle the set's paper (its URL), null where none was given
     * @param submitter  the account that queued the job (its measured entries wait for review unless a maintainer's)
     */
    public record Subject(Long datasetId, Long modelId, String method, String dataset, int ipc, String paperTitle,
                          String authors, Actor submitter) {

        public boolean checkpoint() {
            return modelId != null;
        }

        /** What the job pages call it: "DC CIFAR-10 IPC 10", a checkpoint with its number. */
        String label() {
            return method + " " + dataset + " IPC " + ipc + (checkpoint() ? " (checkpoint #" + modelId + ")" : "");
        }
    }

    @Transactional
    public Subject subject(long id) {
        return subject(ScoringJob.<ScoringJob>findById(id));
    }

    static Subject subject(ScoringJob job) {
        if (job.modelId != null) {
            PoolModel model = PoolModel.findById(job.modelId);
            return new Subject(null, model.id, model.method, model.dataset, model.ipc, null, null, submitter(job));
        }
        DistilledDataset set = DistilledDataset.findById(job.datasetId);
        return new Subject(set.id, null, set.method, set.dataset, set.ipc, set.paperUrl, set.authors, submitter(job));
    }

    private static Actor submitter(ScoringJob job) {
        return new Actor(job.submittedBy, job.submittedByMaintainer);
    }

    @Transactional
    public Optional<JobView> find(long id) {
        return ScoringJob.<ScoringJob>findByIdOptional(id).map(this::view);
    }

    @Transactional
    public List<JobView> list() {
        return ScoringJob.listRecent().stream().map(this::view).toList();
    }

    @Transactional
    public List<JobView> forDataset(long datasetId) {
        return ScoringJob.forDataset(datasetId).stream().map(this::view).toList();
    }

    private static List<JobView.Attempt> attempts(long jobId, List<ScoringTask> tasks) {
        Map<Long, String> labels = new java.util.HashMap<>();
        for (ScoringTask task : tasks) labels.put(task.id, task.label());
        return JobAttempt.forJob(jobId).stream().map(a -> new JobView.Attempt(a.attempt, a.instanceId,
                a.taskId == null ? "the whole job" : labels.get(a.taskId), a.claimedAt, a.endedAt,
                a.outcome == null ? null : a.outcome.name().toLowerCase(Locale.ROOT), ServerPaths.hide(a.errorMessage)))
                .toList();
    }

    /** The job's tasks done of all, and its phase: the first whose tasks are not all done (the last when all are). */
    private static JobView.Progress progress(List<ScoringTask> tasks) {
        List<JobPhase> phases = tasks.stream().map(t -> t.kind.jobPhase()).distinct().sorted().toList();
        if (phases.isEmpty()) return new JobView.Progress(0, 0, 0, 0, null, 0, 0);
        JobPhase current = phases.stream().filter(p -> tasks.stream().anyMatch(t -> t.kind.jobPhase() == p
                && t.state != JobState.SUCCEEDED)).findFirst().orElse(phases.get(phases.size() - 1));
        List<ScoringTask> inPhase = tasks.stream().filter(t -> t.kind.jobPhase() == current).toList();
        return new JobView.Progress(succeeded(tasks), tasks.size(), phases.indexOf(current) + 1, phases.size(),
                current, succeeded(inPhase), inPhase.size());
    }

    private static int succeeded(List<ScoringTask> tasks) {
        return (int) tasks.stream().filter(t -> t.state == JobState.SUCCEEDED).count();
    }

    /** A job as shown; errors stored before their writer cut server paths have them cut to file names. */
    JobView view(ScoringJob job) {
        List<ScoringTask> tasks = ScoringTask.forJob(job.id);
        return new JobView(job.id, job.datasetId, job.modelId, subject(job).label(), job.state.name().toLowerCase(),
                job.stage,
                job.progressDone, job.progressTotal, job.progressLabel, progress(tasks), readSettings(job),
                pieces.read(job.results), ServerPaths.hide(job.errorMessage), job.cancelRequested, job.attempts, job.claimedBy,
                attempts(job.id, tasks),
                tasks.stream().map(t -> new JobView.Task(t.id, t.kind.name().toLowerCase(Locale.ROOT), t.label(),
                        t.run(), t.state.name().toLowerCase(Locale.ROOT), t.claimedBy, t.attempts, t.progressDone,
                        t.progressTotal, t.progressLabel, t.startedAt, t.finishedAt, ServerPaths.hide(t.errorMessage)))
                        .toList(),
                job.createdAt, job.startedAt, job.finishedAt, job.state.ended(), Links.job(job.id),
                job.submittedBy);
    }

    JobSettings readSettings(ScoringJob job) {
        try {
            return json.readValue(job.settings, JobSettings.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("job #" + job.id + " has unreadable settings: " + e.getOriginalMessage(),
                    e);
        }
    }
}
