package dev.bristle.scoring;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bristle.leaderboard.MeasuredEvidence;
import dev.bristle.ml.attack.BudgetSweep;
import dev.bristle.ml.attack.GradientCensus;
import dev.bristle.ml.evidence.MetricUncertainty;
import dev.bristle.ml.evidence.ModelEvidence;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.score.ScoringPipeline;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * What a job measured, stored with it as JSON: the finished pieces a resumed job reuses (per student), then, once it
 * succeeded, its summary, how it stands against its protocol's official settings and its provenance. Summary fields
 * are null until the job succeeds.
 *
 * @param clean             clean accuracy (%) per student index (from 0: the pages' and tasks' "student 1" is index
 *                          0), from the clean-evaluation stage
 * @param attacks           per student index, mode key and attack name: the measurement (the "Clean" entry is the
 *                          attack stage's own clean pass)
 * @param curvePoints       per student index, mode key, attack name and grid budget: the accuracy (%)
 * @param gradients         per student index, the zero-gradient census at the clean point
 * @param meanCleanAccuracy mean over the students
 * @param cleanAccuracyStd  sample standard deviation over the students
 * @param testImages        test images evaluated
 * @param metrics           BEARD's metrics (RRM, AEM, CREI, with their inputs) per mode
 * @param uncertainty       per mode, RRM, AEM and CREI with their spread over the students and bootstrap interval
 * @param evidence          per student: per-class accuracy, worst case over the attacks, sanity flags
 * @param curves            accuracy versus budget per attack and mode, the mean over the students; null without a grid
 * @param published         what publishing did, one line per mode
 * @param reusedStudents    the students the training task found trained before (the job had been resumed)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobResults(
        Map<Integer, Double> clean,
        Map<Integer, Map<String, Map<String, Measurement>>> attacks,
        Map<Integer, Map<String, Map<String, Map<Double, Double>>>> curvePoints,
        Map<Integer, GradientCensus> gradients,
        Double meanCleanAccuracy,
        Double cleanAccuracyStd,
        List<ScoringPipeline.StudentScore> students,
        String testSet,
        String testSetNote,
        Integer testImages,
        Map<AttackMode, MetricReport> metrics,
        Map<AttackMode, MetricUncertainty> uncertainty,
        List<ModelEvidence> evidence,
        List<BudgetSweep.Curve> curves,
        Ranking ranking,
        MeasuredEvidence.Provenance provenance,
        List<String> published,
        java.util.SortedSet<Integer> reusedStudents) {

    /**
     * How the run stands against its protocol's official settings.
     *
     * @param status      "ranked" (it ran the official settings) or "preliminary"
     * @param differences what differs from the official settings; empty when ranked
     */
    public record Ranking(String protocol, String status, List<String> differences) {
    }

    public JobResults {
        clean = clean == null ? new TreeMap<>() : new TreeMap<>(clean);
        attacks = attacks == null ? new TreeMap<>() : new TreeMap<>(attacks);
        curvePoints = curvePoints == null ? new TreeMap<>() : new TreeMap<>(curvePoints);
        gradients = gradients == null ? new TreeMap<>() : new TreeMap<>(gradients);
        reusedStudents = reusedStudents == null ? new java.util.TreeSet<>() : new java.util.TreeSet<>(reusedStudents);
    }

    public static JobResults empty() {
        return new JobResults(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    }

    /** These results with a succeeded job's summary. */
    public JobResults withSummary(ScoringPipeline.Result result, Ranking ranking, MeasuredEvidence.Provenance provenance,
                                  List<String> published) {
        return new JobResults(clean, attacks, curvePoints, gradients, result.meanCleanAccuracy(),
                result.cleanAccuracyStd(), result.students(), result.testSet(), result.testSetNote(),
                result.testImages(), result.metrics(), result.uncertainty(), result.evidence(),
                result.curves().isEmpty() ? null : result.curves(), ranking, provenance, published, reusedStudents);
    }

    /** Per student, whether the training task found it already trained (a resumed job). */
    List<Boolean> reused(int students) {
        List<Boolean> reused = new java.util.ArrayList<>();
        for (int i = 0; i < students; i++) reused.add(reusedStudents.contains(i));
        return reused;
    }

    OptionalDouble cleanAccuracy(int index) {
        Double accuracy = clean.get(index);
        return accuracy == null ? OptionalDouble.empty() : OptionalDouble.of(accuracy);
    }

    void recordClean(int index, double accuracy) {
        clean.put(index, accuracy);
    }

    Optional<Measurement> attack(int index, AttackMode mode, String attack) {
        Measurement stored = attacks.getOrDefault(index, Map.of()).getOrDefault(mode.key(), Map.of()).get(attack);
        // Results stored before measurements carried their attack's name have it only as the key.
        return Optional.ofNullable(stored).map(m -> m.attack() != null ? m
                : new Measurement(attack, m.accuracy(), m.seconds(), m.passes(), m.correct()));
    }

    void recordAttack(int index, AttackMode mode, Measurement measurement) {
        attacks.computeIfAbsent(index, i -> new TreeMap<>()).computeIfAbsent(mode.key(), m -> new TreeMap<>())
                .put(measurement.attack(), measurement);
    }

    OptionalDouble curvePoint(int index, AttackMode mode, String attack, double eps) {
        Double accuracy = curvePoints.getOrDefault(index, Map.of()).getOrDefault(mode.key(), Map.of())
                .getOrDefault(attack, Map.of()).get(eps);
        return accuracy == null ? OptionalDouble.empty() : OptionalDouble.of(accuracy);
    }

    void recordCurvePoint(int index, AttackMode mode, String attack, double eps, double accuracy) {
        curvePoints.computeIfAbsent(index, i -> new TreeMap<>()).computeIfAbsent(mode.key(), m -> new TreeMap<>())
                .computeIfAbsent(attack, a -> new TreeMap<>()).put(eps, accuracy);
    }
}
