package dev.bristle.scoring;

import dev.bristle.ml.attack.GradientCensus;
import dev.bristle.ml.eval.CleanEvaluation;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.score.ScoringPipeline;
import dev.bristle.ml.score.TestShard;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.train.TrainedStudent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The store of a job's last task: the job's results read once, each attack run's shards joined into them in memory,
 * and the whole written back once with the job's success ({@link JobService#succeed}). Through the job's own store
 * every read parsed the whole results column (every student's per-image results) and every joined run rewrote it,
 * hundreds of times in an official run's one serial task. Nothing else changes the results meanwhile: the assembly
 * runs once every other task of the job has succeeded. Students and shards are read where the job's store keeps them.
 */
final class AssemblyStore implements ScoringPipeline.StageStore {
    private final JobStageStore stored;
    private final JobResults results;

    AssemblyStore(JobStageStore stored, JobResults results) {
        this.stored = stored;
        this.results = results;
    }

    /** The job's results with every run joined: what the job's success writes. */
    JobResults results() {
        return results;
    }

    @Override
    public Optional<LinkedHashMap<String, HostTensor>> student(int index) throws java.io.IOException {
        return stored.student(index);
    }

    @Override
    public void studentTrained(TrainedStudent student) {
        throw new IllegalStateException("the assembly trains no student");
    }

    @Override
    public OptionalDouble cleanAccuracy(int index) {
        return results.cleanAccuracy(index);
    }

    @Override
    public void cleanEvaluated(int index, CleanEvaluation evaluation) {
        throw new IllegalStateException("the assembly evaluates no student");
    }

    @Override
    public Optional<Measurement> attackMeasurement(int index, AttackMode mode, String attack) {
        return results.attack(index, mode, attack);
    }

    @Override
    public void attackMeasured(int index, AttackMode mode, Measurement measurement) {
        results.recordAttack(index, mode, measurement);
    }

    @Override
    public List<TestShard.Measured> attackShards(int index, ScoringPipeline.AttackUnit unit) {
        return stored.attackShards(index, unit);
    }

    @Override
    public void attackShardMeasured(int index, ScoringPipeline.AttackUnit unit, TestShard.Measured measured) {
        throw new IllegalStateException("the assembly measures no shard");
    }

    @Override
    public OptionalDouble curvePoint(int index, AttackMode mode, String attack, double eps) {
        return results.curvePoint(index, mode, attack, eps);
    }

    @Override
    public void curvePointMeasured(int index, AttackMode mode, String attack, double eps, double accuracy) {
        results.recordCurvePoint(index, mode, attack, eps, accuracy);
    }

    @Override
    public Optional<GradientCensus> gradientCensus(int index) {
        return Optional.ofNullable(results.gradients().get(index));
    }

    @Override
    public void gradientsCounted(int index, GradientCensus census) {
        throw new IllegalStateException("the assembly takes no gradient census");
    }
}
