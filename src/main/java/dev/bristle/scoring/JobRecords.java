package dev.bristle.scoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.bristle.datasetpool.DatasetPoolService;
import dev.bristle.leaderboard.MeasuredEvidence;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.distill.Provenance;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecords;
import dev.bristle.ml.record.RecordAssembler;
import dev.bristle.ml.score.AttackPlan;
import dev.bristle.ml.score.ScoringPipeline;
import dev.bristle.ml.train.TrainingRecipe;
import dev.bristle.modelpool.ModelPoolService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A succeeded job as an {@link EvaluationRecord}, what {@code GET /api/jobs/{id}/record} serves: the pooled set or
 * checkpoint it measured, its settings, every student's seed, clean predictions and per-image attack results as the
 * job's tasks stored them, the metrics and the provenance.
 */
@ApplicationScoped
public class JobRecords {

    /** Every dataset Bristle reads has a test split of 10,000 images: for jobs that ended before it was kept. */
    private static final int TEST_SPLIT = 10_000;

    @Inject
    JobService jobs;

    @Inject
    DatasetPoolService datasets;

    @Inject
    ModelPoolService models;

    /** Job {@code id}'s record; empty while it has not succeeded. */
    public Optional<EvaluationRecord> record(JobView job) {
        JobResults results = job.results();
        MeasuredEvidence.Provenance provenance = results.provenance();
        if (!"succeeded".equals(job.state()) || provenance == null || results.students() == null) {
            return Optional.empty();
        }
        JobService.Subject subject = jobs.subject(job.id());
        DatasetKind kind = DatasetKind.fromName(subject.dataset());
        JobSettings settings = job.settings();
        AttackPlan plan = settings.attackPlan(kind);
        AttackProtocol protocol = plan.protocol();
        boolean checkpoint = subject.checkpoint();
        List<Long> seeds = checkpoint || provenance.seeds() == null ? results.students().stream().map(s -> 0L)
                .toList() : provenance.seeds();
        RecordAssembler.Run run = new RecordAssembler.Run(protocol, settings.attacks(), plan.modes(), seeds,
                results.students().stream().map(ScoringPipeline.StudentScore::cleanAccuracy).toList(), null,
                results::attack, orEmpty(results.metrics()), orEmpty(results.uncertainty()),
                results.evidence() == null ? List.of() : results.evidence(),
                results.curves() == null ? List.of() : results.curves());
        TrainingRecipe recipe = settings.trainingRecipe(kind);
        int images = results.testImages();
        int splitSize = provenance.splitSize() != null ? provenance.splitSize()
                : settings.testLimit() == null ? images : TEST_SPLIT;
        String autoattack = settings.attacks().contains("AutoAttack")
                ? plan.autoAttack().name().toLowerCase(Locale.ROOT) : null;
        return Optional.of(new EvaluationRecord(EvaluationRecords.SCHEMA, EvaluationRecords.VERSION,
                new EvaluationRecord.Subject(kind.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                        kind.displayName(), subject.ipc(), subject.method(), recipe.kind().key(), recipe.describe(),
                        checkpoint ? null : setFile(subject.datasetId()),
                        checkpoint ? checkpointFile(subject.modelId()) : null),
                new EvaluationRecord.RunSettings(protocol.key(), protocol.version(), checkpoint ? null
                        : settings.epochs(), settings.students(), settings.testLimit(), settings.attacks(),
                        settings.modes(), plan.budgets().linf(), plan.budgets().l2(), autoattack, settings.seed(),
                        plan.seed(), false, results.ranking() == null ? List.of() : results.ranking().differences()),
                new EvaluationRecord.TestSetInfo(results.testSet(), provenance.testSetSha256(), images, splitSize,
                        provenance.testSetCopy()),
                RecordAssembler.students(run), RecordAssembler.metrics(run), RecordAssembler.curves(run.curves()),
                new EvaluationRecord.RunProvenance(provenance.bristleVersion(), provenance.commit(),
                        provenance.djlVersion(), provenance.pytorchVersion(), provenance.device(),
                        provenance.threads(), "POST /api/jobs (job " + job.id() + ": " + provenance.settings() + ")",
                        instant(provenance.startedAt()), instant(provenance.finishedAt()),
                        provenance.seconds() == null ? 0 : provenance.seconds())));
    }

    private EvaluationRecord.SetFile setFile(long id) {
        var set = datasets.find(id).orElseThrow();
        Provenance provenance = null;
        if (set.provenance() != null && set.provenance().startsWith("{")) {
            try {
                provenance = Provenance.fromJson(set.provenance());
            } catch (JsonProcessingException e) {
                // A provenance in words (an uploaded set's) is not Bristle's own: the record names none.
            }
        }
        return new EvaluationRecord.SetFile(set.originalName(), set.sha256(), provenance);
    }

    private EvaluationRecord.Checkpoint checkpointFile(long id) {
        var model = models.find(id).orElseThrow();
        return new EvaluationRecord.Checkpoint(model.fileName(), model.sha256(), model.provenance());
    }

    private static <V> Map<AttackMode, V> orEmpty(Map<AttackMode, V> map) {
        return map == null ? Map.of() : map;
    }

    private static String instant(java.time.Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
