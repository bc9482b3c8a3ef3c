package dev.bristle.scoring;

import dev.bristle.config.BristleConfig;
import dev.bristle.datasetpool.DatasetPoolService;
import dev.bristle.datasetpool.DatasetView;
import dev.bristle.files.BlobStore;
import dev.bristle.files.Digests;
import dev.bristle.ml.attack.GradientCensus;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.eval.CleanEvaluation;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.score.ScoringPipeline;
import dev.bristle.ml.score.TestShard;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.torch.TorchCheckpoint;
import dev.bristle.ml.train.TrainedStudent;
import dev.bristle.modelpool.ModelPoolService;
import dev.bristle.modelpool.ModelView;
import dev.bristle.modelpool.TrainingPoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Where a scoring job's tasks keep and find their pieces: trained students become model-pool files and rows (a
 * checkpoint evaluation's one student is its checkpoint); measurements go into the job's results.
 */
final class JobStageStore implements ScoringPipeline.StageStore {
    private final Factory with;
    private final long id;
    private final JobService.Subject subject;

    private JobStageStore(Factory with, long id, JobService.Subject subject) {
        this.with = with;
        this.id = id;
        this.subject = subject;
    }

    /** Makes the store of each job's tasks, with what the stores use. */
    @ApplicationScoped
    static class Factory {
        @Inject
        BristleConfig config;
        @Inject
        JobService jobs;
        @Inject
        JobPieces pieces;
        @Inject
        DatasetPoolService pool;
        @Inject
        ModelPoolService models;
        @Inject
        BlobStore blobs;
        @Inject
        PassRates rates;
        @Inject
        ShardResults shards;

        JobStageStore of(long id, JobService.Subject subject) {
            return new JobStageStore(this, id, subject);
        }
    }

    @Override
    public Optional<LinkedHashMap<String, HostTensor>> student(int index) throws IOException {
        Optional<ModelView> model = subject.checkpoint() ? with.models.find(subject.modelId())
                : with.models.trainedStudent(id, index);
        if (model.isEmpty()) return Optional.empty();
        Path file = with.models.file(model.get());
        String sha256 = Digests.sha256(file);
        if (!sha256.equals(model.get().sha256())) {
            throw new IOException(file.getFileName() + " has SHA-256 " + sha256 + ", the model pool recorded "
                    + model.get().sha256() + ": the student was altered");
        }
        return Optional.of(TorchCheckpoint.readStateDict(file));
    }

    @Override
    public void studentTrained(TrainedStudent student) throws IOException {
        DatasetView dataset = with.pool.find(subject.datasetId()).orElseThrow();
        String fileName = String.format(Locale.ROOT, "job-%d/%s_ConvNet_%s_%d_student%d.pth", id,
                dataset.method().replaceAll("[^A-Za-z0-9.-]", "-"),
                dataset.dataset().replace("-", ""), dataset.ipc(), student.index());
        Files.createDirectories(with.config.trainedModelDir());
        Path temp = Files.createTempFile(with.config.trainedModelDir(), "student-", ".part");
        String sha256;
        long size;
        try {
            TorchCheckpoint.writeStateDict(student.stateDict(), temp);
            sha256 = Digests.sha256(temp);
            size = Files.size(temp);
            with.blobs.moveIn(BlobStore.Area.STUDENTS, fileName, temp);
        } finally {
            Files.deleteIfExists(temp);
        }
        String provenance = "trained by scoring job #" + id + " on dataset-pool set #" + dataset.id() + " ("
                + dataset.method() + ", SHA-256 " + dataset.sha256() + "), student " + (student.index() + 1)
                + ", seed " + student.seed() + ", " + student.curve().size() + " epochs";
        with.models.addTrainedStudent(id, student.index(), dataset.method(), dataset.dataset(), dataset.ipc(), fileName,
                sha256, size, provenance);
        with.models.recordTrainingCurve(id, student.index(), student.curve().stream()
                .map(e -> new TrainingPoint(e.epoch(), e.loss(), e.accuracy())).toList());
        with.rates.recordTraining(student, with.jobs.settings(id).trainingRecipe(DatasetKind.fromName(subject.dataset())));
    }

    @Override
    public OptionalDouble cleanAccuracy(int index) {
        return with.pieces.cleanAccuracy(id, index);
    }

    @Override
    public void cleanEvaluated(int index, CleanEvaluation evaluation) {
        with.pieces.recordCleanAccuracy(id, index, evaluation.accuracy());
        if (!subject.checkpoint()) with.models.recordTrainedAccuracy(id, index, evaluation.accuracy());
    }

    @Override
    public Optional<Measurement> attackMeasurement(int index, AttackMode mode, String attack) {
        return with.pieces.attackMeasurement(id, index, mode, attack);
    }

    @Override
    public void attackMeasured(int index, AttackMode mode, Measurement measurement) {
        with.pieces.recordAttack(id, index, mode, measurement);
    }

    @Override
    public List<TestShard.Measured> attackShards(int index, ScoringPipeline.AttackUnit unit) {
        return with.shards.of(id, index, unit);
    }

    @Override
    public void attackShardMeasured(int index, ScoringPipeline.AttackUnit unit, TestShard.Measured measured) {
        with.shards.record(id, index, unit, measured);
        with.rates.recordAttack(measured.measurement());
    }

    @Override
    public OptionalDouble curvePoint(int index, AttackMode mode, String attack, double eps) {
        return with.pieces.curvePoint(id, index, mode, attack, eps);
    }

    @Override
    public void curvePointMeasured(int index, AttackMode mode, String attack, double eps, double accuracy) {
        with.pieces.recordCurvePoint(id, index, mode, attack, eps, accuracy);
    }

    @Override
    public Optional<GradientCensus> gradientCensus(int index) {
        return with.pieces.gradientCensus(id, index);
    }

    @Override
    public void gradientsCounted(int index, GradientCensus census) {
        with.pieces.recordGradientCensus(id, index, census);
    }
}
