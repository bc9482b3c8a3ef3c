package dev.bristle.ml.score;

import dev.bristle.ml.attack.GradientCensus;
import dev.bristle.ml.eval.CleanEvaluation;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.train.TrainedStudent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** Keeps a run's finished pieces in memory: for one-off runs (the command line), where nothing is resumed later. */
public final class MemoryStageStore implements ScoringPipeline.StageStore {

    private final Map<Integer, LinkedHashMap<String, HostTensor>> students = new HashMap<>();
    private final Map<Integer, Double> accuracies = new HashMap<>();
    private final Map<String, Measurement> measurements = new HashMap<>();
    private final Map<String, Double> curvePoints = new HashMap<>();
    private final Map<String, List<TestShard.Measured>> shards = new HashMap<>();
    private final Map<Integer, GradientCensus> gradients = new HashMap<>();

    @Override
    public Optional<LinkedHashMap<String, HostTensor>> student(int index) {
        return Optional.ofNullable(students.get(index));
    }

    @Override
    public void studentTrained(TrainedStudent student) {
        students.put(student.index(), student.stateDict());
    }

    @Override
    public OptionalDouble cleanAccuracy(int index) {
        Double accuracy = accuracies.get(index);
        return accuracy == null ? OptionalDouble.empty() : OptionalDouble.of(accuracy);
    }

    @Override
    public void cleanEvaluated(int index, CleanEvaluation evaluation) {
        accuracies.put(index, evaluation.accuracy());
    }

    @Override
    public Optional<Measurement> attackMeasurement(int index, AttackMode mode, String attack) {
        return Optional.ofNullable(measurements.get(index + "/" + mode + "/" + attack));
    }

    @Override
    public void attackMeasured(int index, AttackMode mode, Measurement measurement) {
        measurements.put(index + "/" + mode + "/" + measurement.attack(), measurement);
    }

    @Override
    public List<TestShard.Measured> attackShards(int index, ScoringPipeline.AttackUnit unit) {
        return List.copyOf(shards.getOrDefault(index + "/" + unit, List.of()));
    }

    @Override
    public void attackShardMeasured(int index, ScoringPipeline.AttackUnit unit, TestShard.Measured measured) {
        shards.computeIfAbsent(index + "/" + unit, key -> new ArrayList<>()).add(measured);
    }

    @Override
    public OptionalDouble curvePoint(int index, AttackMode mode, String attack, double eps) {
        Double accuracy = curvePoints.get(index + "/" + mode + "/" + attack + "/" + eps);
        return accuracy == null ? OptionalDouble.empty() : OptionalDouble.of(accuracy);
    }

    @Override
    public void curvePointMeasured(int index, AttackMode mode, String attack, double eps, double accuracy) {
        curvePoints.put(index + "/" + mode + "/" + attack + "/" + eps, accuracy);
    }

    @Override
    public Optional<GradientCensus> gradientCensus(int index) {
        return Optional.ofNullable(gradients.get(index));
    }

    @Override
    public void gradientsCounted(int index, GradientCensus census) {
        gradients.put(index, census);
    }

    /** Curve points measured so far (all students, modes and attacks). */
    public int curvePointCount() {
        return curvePoints.size();
    }

    public int trainedCount() {
        return students.size();
    }
}
