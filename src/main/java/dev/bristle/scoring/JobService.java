package dev.bristle.scoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bristle.accounts.AccountsConfig;
import dev.bristle.accounts.Actor;
import dev.bristle.accounts.AuditService;
import dev.bristle.accounts.QuotaExceeded;
import dev.bristle.datasetpool.DistilledDataset;
import dev.bristle.leaderboard.Dataset;
import dev.bristle.leaderboard.EntrySource;
import dev.bristle.leaderboard.Ipc;
import dev.bristle.leaderboard.LeaderboardEntry;
import dev.bristle.leaderboard.ReviewStatus;
import dev.bristle.ml.attack.GradientCensus;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.modelpool.ModelStatus;
import dev.bristle.modelpool.PoolModel;
import io.quarkus.security.ForbiddenException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Scoring jobs in the database: queueing, claiming (SELECT ... FOR UPDATE SKIP LOCKED), progress and heartbeat,
 * cancellation, re-queueing abandoned jobs, and the finished pieces a resumed job reuses. Each method is one short
 * transaction of its own, so progress is visible to other requests as soon as it is written.
 */
@ApplicationScoped
public class JobService {

    @Inject
    AccountsConfig accounts;

    @Inject
    AuditService audit;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };
    private static final String CLEAN = "clean";
    private static final int MAX_LABEL = 300;
    private static final int MAX_ERROR = 4000;

    /** Queues a job for a pooled set; the settings must have no {@link JobSettings#problems()}. */
    @Transactional
    public JobView enqueue(long datasetId, JobSettings settings, Actor actor) {
        if (!settings.problems().isEmpty()) throw new IllegalArgumentException(String.join("; ", settings.problems()));
        DistilledDataset set = DistilledDataset.<DistilledDataset>findByIdOptional(datasetId).orElseThrow(() ->
                new IllegalArgumentException("the dataset pool has no set #" + datasetId));
        if (set.hidden) throw new IllegalArgumentException("set #" + datasetId + " is hidden by a maintainer");
        if (!actor.maintainer()) checkQuota(settings, actor);
        ScoringJob job = new ScoringJob();
        job.datasetId = datasetId;
        job.submittedBy = actor.name();
        job.submittedByMaintainer = actor.maintainer();
        job.state = JobState.QUEUED;
        job.settings = write(settings);
        job.createdAt = Instant.now();
        job.persist();
        audit.record(actor.name(), "queue-job", "job", job.id, "set #" + datasetId + ", " + settings.epochs()
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
        long active = ScoringJob.countActive(actor.name());
        if (active >= quota.activeJobs()) {
            throw new QuotaExceeded(true, List.of("you have " + active + " queued or running job(s), the most a"
                    + " submitter may have at once (" + quota.activeJobs() + "); wait for one to end or cancel one"));
        }
    }

    /** Claims the oldest queued job for {@code instance}, or nothing when none is free. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Long> claimNext(String instance) {
        return ScoringJob.lockNextQueued().map(id -> {
            ScoringJob job = ScoringJob.findById(id);
            job.state = JobState.RUNNING;
            job.claimedBy = instance;
            job.attempts++;
            job.heartbeatAt = Instant.now();
            if (job.startedAt == null) job.startedAt = job.heartbeatAt;
            JobAttempt attempt = new JobAttempt();
            attempt.jobId = id;
            attempt.attempt = job.attempts;
            attempt.instanceId = instance;
            attempt.claimedAt = job.heartbeatAt;
            attempt.persist();
            return id;
        });
    }

    /** Re-queues RUNNING jobs claimed by {@code instance} (it restarted) or silent since before {@code cutoff}. */
    @Transactional
    public int requeueAbandoned(String instance, Instant cutoff) {
        JobAttempt.closeAbandoned(instance, cutoff, Instant.now());
        return ScoringJob.requeueAbandoned(instance, cutoff);
    }

    /** Re-queues RUNNING jobs whose instance stopped beating before {@code cutoff} (it crashed). */
    @Transactional
    public int requeueStale(Instant cutoff) {
        JobAttempt.closeAbandoned(null, cutoff, Instant.now());
        return ScoringJob.requeueStale(cutoff);
    }

    /** Where a running job stands for the instance running it. */
    public enum Claim {
        /** Still this instance's to run. */
        HELD,
        /** A user asked to cancel it. */
        CANCEL_REQUESTED,
        /** No longer this instance's: re-queued (its heartbeat was taken as stale) or claimed by another instance. */
        LOST
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Claim claim(long id, String instance) {
        ScoringJob job = ScoringJob.findById(id);
        if (job == null || job.state != JobState.RUNNING || !instance.equals(job.claimedBy)) return Claim.LOST;
        return job.cancelRequested ? Claim.CANCEL_REQUESTED : Claim.HELD;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void heartbeat(long id, String instance) {
        ScoringJob.update("heartbeatAt = ?1 where id = ?2 and claimedBy = ?3 and state = ?4", Instant.now(), id,
                instance, JobState.RUNNING);
    }

    /** Writes the progress of a job {@code instance} runs (nothing once another attempt has taken it over). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void progress(long id, String instance, String stage, int done, int total, String label) {
        ScoringJob.update("stage = ?1, progressDone = ?2, progressTotal = ?3, progressLabel = ?4, heartbeatAt = ?5"
                        + " where id = ?6 and claimedBy = ?7 and state = ?8", stage, done, total,
                truncate(label, MAX_LABEL), Instant.now(), id, instance, JobState.RUNNING);
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
            }
            if (job.state == JobState.QUEUED) {
                job.state = JobState.CANCELLED;
                job.finishedAt = Instant.now();
            }
            return view(job);
        });
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void finish(long id, JobState state, Map<String, Object> summary, String error) {
        ScoringJob job = ScoringJob.findById(id);
        job.state = state;
        job.finishedAt = Instant.now();
        JobAttempt.close(id, JobAttempt.Outcome.of(state), job.finishedAt);
        job.errorMessage = truncate(error, MAX_ERROR);
        if (summary != null) {
            Map<String, Object> results = read(job.results);
            results.putAll(summary);
            job.results = write(results);
        }
    }

    /** Back to the queue (this instance is stopping); finished pieces stay for the next attempt. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void requeue(long id) {
        if (ScoringJob.update("state = ?1, claimedBy = null where id = ?2 and state = ?3", JobState.QUEUED, id,
                JobState.RUNNING) > 0) {
            JobAttempt.close(id, JobAttempt.Outcome.STOPPED, Instant.now());
        }
    }

    @Transactional
    public JobSettings settings(long id) {
        ScoringJob job = ScoringJob.findById(id);
        try {
            return JSON.readValue(job.settings, JobSettings.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("job #" + id + " has unreadable settings: " + e.getOriginalMessage(), e);
        }
    }

    @Transactional
    public long datasetOf(long id) {
        return ScoringJob.<ScoringJob>findById(id).datasetId;
    }

    /** The trained student {@code index} of job {@code id}, as pooled. */
    @Transactional
    public Optional<PoolModel> trainedStudent(long id, int index) {
        return PoolModel.findTrained(id, index);
    }

    /** Adds a student the job trained to the model pool (its file already in place). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public long addTrainedStudent(long id, int index, String fileName, String sha256, long size, String provenance) {
        ScoringJob job = ScoringJob.findById(id);
        DistilledDataset set = DistilledDataset.findById(job.datasetId);
        PoolModel model = new PoolModel();
        model.origin = PoolModel.Origin.TRAINED;
        model.method = set.method;
        model.dataset = set.dataset;
        model.ipc = set.ipc;
        model.architecture = "ConvNet";
        model.fileName = fileName;
        model.expectedSha256 = sha256;
        model.actualSha256 = sha256;
        model.sizeBytes = size;
        model.provenance = provenance;
        model.status = ModelStatus.AVAILABLE;
        model.importedAt = Instant.now();
        model.scoringJobId = id;
        model.studentIndex = index;
        model.persist();
        return model.id;
    }

    @Transactional
    public OptionalDouble cleanAccuracy(long id, int index) {
        return lookup(id, CLEAN, String.valueOf(index)) instanceof Number n ? OptionalDouble.of(n.doubleValue())
                : OptionalDouble.empty();
    }

    /** Records a student's clean accuracy with the job (for resuming) and on its model-pool entry. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordCleanAccuracy(long id, int index, double accuracy) {
        ScoringJob job = ScoringJob.findById(id);
        Map<String, Object> results = read(job.results);
        objectAt(results, CLEAN).put(String.valueOf(index), accuracy);
        job.results = write(results);
        PoolModel.findTrained(id, index).ifPresent(m -> m.reportedAccuracy = Math.round(accuracy * 100) / 100.0);
    }

    private static final String ATTACKS = "attacks";
    private static final String CURVE_POINTS = "curvePoints";

    /** A student's stored measurement of one attack in one mode. */
    @Transactional
    public Optional<Measurement> attackMeasurement(long id, int index, AttackMode mode, String attack) {
        if (lookup(id, ATTACKS, String.valueOf(index), mode.key(), attack) instanceof Map<?, ?> m
                && m.get("accuracy") instanceof Number accuracy) {
            return Optional.of(new Measurement(attack, accuracy.doubleValue(),
                    m.get("seconds") instanceof Number seconds ? seconds.doubleValue() : null,
                    m.get("passes") instanceof Number passes ? passes.doubleValue() : null,
                    m.get("correct") instanceof String correct ? correct : null));
        }
        return Optional.empty();
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordAttack(long id, int index, AttackMode mode, Measurement measurement) {
        ScoringJob job = ScoringJob.findById(id);
        Map<String, Object> results = read(job.results);
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("accuracy", measurement.accuracy());
        value.put("seconds", measurement.seconds());
        value.put("passes", measurement.passes());
        value.put("correct", measurement.correct());
        objectAt(results, ATTACKS, String.valueOf(index), mode.key()).put(measurement.attack(), value);
        job.results = write(results);
    }

    /** A student's stored accuracy under one attack at one grid budget. */
    @Transactional
    public OptionalDouble curvePoint(long id, int index, AttackMode mode, String attack, double eps) {
        return lookup(id, CURVE_POINTS, String.valueOf(index), mode.key(), attack, String.valueOf(eps))
                instanceof Number accuracy ? OptionalDouble.of(accuracy.doubleValue()) : OptionalDouble.empty();
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordCurvePoint(long id, int index, AttackMode mode, String attack, double eps, double accuracy) {
        ScoringJob job = ScoringJob.findById(id);
        Map<String, Object> results = read(job.results);
        objectAt(results, CURVE_POINTS, String.valueOf(index), mode.key(), attack).put(String.valueOf(eps), accuracy);
        job.results = write(results);
    }

    private static final String GRADIENTS = "gradients";

    /** A student's stored zero-gradient census at the clean point. */
    @Transactional
    public Optional<GradientCensus> gradientCensus(long id, int index) {
        Object census = lookup(id, GRADIENTS, String.valueOf(index));
        return census == null ? Optional.empty() : Optional.of(JSON.convertValue(census, GradientCensus.class));
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordGradientCensus(long id, int index, GradientCensus census) {
        ScoringJob job = ScoringJob.findById(id);
        Map<String, Object> results = read(job.results);
        objectAt(results, GRADIENTS).put(String.valueOf(index), JSON.convertValue(census, Map.class));
        job.results = write(results);
    }

    /** The value at {@code path} (keys of nested objects) in job {@code id}'s results, or null. */
    private static Object lookup(long id, String... path) {
        Object value = read(ScoringJob.<ScoringJob>findById(id).results);
        for (String key : path) value = value instanceof Map<?, ?> map ? map.get(key) : null;
        return value;
    }

    /** The object at {@code path} in {@code results}, created where missing. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> objectAt(Map<String, Object> results, String... path) {
        Map<String, Object> object = results;
        for (String key : path) {
            object = (Map<String, Object>) object.computeIfAbsent(key, k -> new LinkedHashMap<>());
        }
        return object;
    }

    /**
     * Puts a finished job's metrics on the leaderboard of its dataset, IPC and mode as a MEASURED entry (replacing
     * the method's previous measurement there). Returns a line per mode saying where it went or why not.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<String> publish(long id, Map<AttackMode, MetricReport> metrics, double meanCleanAccuracy,
                                String cleanAccuracyBasis) {
        ScoringJob job = ScoringJob.findById(id);
        DistilledDataset set = DistilledDataset.findById(job.datasetId);
        List<String> outcome = new ArrayList<>();
        Optional<Dataset> board = Dataset.fromLabel(set.dataset);
        String ipc = String.valueOf(set.ipc);
        for (var entry : metrics.entrySet()) {
            String mode = entry.getKey().key();
            MetricReport report = entry.getValue();
            if (board.isEmpty() || !Ipc.fromKey(ipc).isPresent()) {
                outcome.add(mode + ": not published, there is no " + set.dataset + " IPC " + ipc + " leaderboard");
                continue;
            }
            if (report.crei() == null) {
                outcome.add(mode + ": not published, CREI is undefined (" + String.join("; ", report.notes()) + ")");
                continue;
            }
            LeaderboardEntry row = LeaderboardEntry.findByNaturalKey(set.dataset, ipc, mode, set.method,
                    EntrySource.MEASURED).orElseGet(LeaderboardEntry::new);
            row.dataset = set.dataset;
            row.ipc = ipc;
            row.mode = mode;
            row.method = set.method;
            row.paperTitle = set.paperUrl != null ? set.paperUrl : "Dataset pool #" + set.id;
            row.author = set.authors != null ? set.authors : "unknown";
            row.venue = "measured by Bristle";
            row.updated = LocalDate.now();
            row.codeAvailable = false;
            row.distilledDataAvailable = true;
            row.crei = report.crei();
            row.rrm = report.rr();
            row.aem = report.ae();
            row.cleanAccuracy = meanCleanAccuracy;
            row.cleanAccuracyBasis = cleanAccuracyBasis.length() <= 200 ? cleanAccuracyBasis
                    : cleanAccuracyBasis.substring(0, 199) + "…";
            row.source = EntrySource.MEASURED;
            row.sourceReference = "scoring job #" + id;
            row.scoringJobId = id;
            row.publishedRank = null;
            row.submittedBy = job.submittedBy;
            row.reviewStatus = job.submittedByMaintainer ? ReviewStatus.APPROVED : ReviewStatus.PENDING;
            row.reviewReason = job.submittedByMaintainer ? "queued by maintainer " + job.submittedBy : null;
            row.persist();
            outcome.add(mode + (row.reviewStatus == ReviewStatus.APPROVED ? ": published on " : ": awaiting review for ")
                    + board.get().label() + " IPC " + ipc + " (CREI "
                    + String.format(java.util.Locale.ROOT, "%.2f", report.crei()) + ")");
        }
        return outcome;
    }

    @Transactional
    public Optional<JobView> find(long id) {
        return ScoringJob.<ScoringJob>findByIdOptional(id).map(JobService::view);
    }

    @Transactional
    public List<JobView> list() {
        return ScoringJob.listRecent().stream().map(JobService::view).toList();
    }

    @Transactional
    public List<JobView> forDataset(long datasetId) {
        return ScoringJob.forDataset(datasetId).stream().map(JobService::view).toList();
    }

    private static JobView view(ScoringJob job) {
        DistilledDataset set = DistilledDataset.findById(job.datasetId);
        String label = set == null ? "#" + job.datasetId : set.method + " " + set.dataset + " IPC " + set.ipc;
        return new JobView(job.id, job.datasetId, label, job.state.name().toLowerCase(), job.stage, job.progressDone,
                job.progressTotal, job.progressLabel, read(job.settings), read(job.results), job.errorMessage,
                job.cancelRequested, job.heartbeatAt, job.attempts, job.claimedBy,
                JobAttempt.forJob(job.id).stream().map(a -> new JobView.Attempt(a.attempt, a.instanceId, a.claimedAt,
                        a.endedAt, a.outcome == null ? null : a.outcome.name().toLowerCase())).toList(),
                job.createdAt, job.startedAt, job.finishedAt, job.state.ended(), "/jobs/" + job.id,
                job.submittedBy);
    }

    private static LinkedHashMap<String, Object> read(String json) {
        if (json == null || json.isBlank()) return new LinkedHashMap<>();
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable job JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write job JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String truncate(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length - 1) + "…";
    }
}
