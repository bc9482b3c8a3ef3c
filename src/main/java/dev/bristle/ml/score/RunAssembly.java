package dev.bristle.ml.score;

import dev.bristle.ml.attack.Attack;
import dev.bristle.ml.attack.BudgetSweep;
import dev.bristle.ml.evidence.AttackFacts;
import dev.bristle.ml.evidence.MetricUncertainty;
import dev.bristle.ml.evidence.ModelEvidence;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.metrics.StudentResults;
import dev.bristle.ml.score.ScoringPipeline.Request;
import dev.bristle.ml.score.ScoringPipeline.Result;
import dev.bristle.ml.score.ScoringPipeline.StageStore;
import dev.bristle.ml.score.ScoringPipeline.StudentScore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/**
 * A scoring run's result from the measurements its store holds: each student's clean accuracy, BEARD's metrics per
 * mode with their uncertainty, each student's evidence and the accuracy-versus-budget curves.
 */
final class RunAssembly {

    private RunAssembly() {
    }

    /**
     * The run's result from what the store holds: each student's clean accuracy, then BEARD's metrics, their
     * uncertainty, the evidence and the curves. Every piece must be in the store.
     *
     * @param reused per student, whether training found it already trained
     */
    static Result assemble(Request request, StageStore store, List<Boolean> reused) {
        int students = request.training().students();
        List<StudentScore> scores = new ArrayList<>();
        for (int i = 0; i < students; i++) {
            int index = i;
            double accuracy = store.cleanAccuracy(i).orElseThrow(() -> new IllegalStateException("student " + index
                    + " has no clean accuracy in the store"));
            scores.add(new StudentScore(i, accuracy, reused.get(i)));
        }
        int testImages = request.testSet().images().count();
        if (request.attacks().isEmpty()) {
            return new Result(true, scores, request.testSet().description(), request.testSet().note(), testImages,
                    Map.of(), Map.of(), List.of(), List.of());
        }
        List<Integer> all = IntStream.range(0, students).boxed().toList();
        return new Result(true, scores, request.testSet().description(), request.testSet().note(), testImages,
                metrics(request, store), uncertainty(request, store), evidence(request, store),
                curves(request, store, all));
    }

    /** Accuracy versus budget per attack and mode, the mean over {@code students}, from the stored measurements. */
    private static List<BudgetSweep.Curve> curves(Request request, StageStore store, List<Integer> students) {
        AttackPlan plan = request.attacks();
        if (plan.grid() == null) return List.of();
        List<BudgetSweep.Curve> curves = new ArrayList<>();
        for (Attack attack : plan.build(request.dataset().classCount())) {
            for (AttackMode mode : plan.modes()) {
                if (!plan.runs(attack, mode)) continue;
                double clean = mean(students, i -> store.attackMeasurement(i, mode, Measurement.CLEAN).orElseThrow()
                        .accuracy());
                double recorded = mean(students, i -> store.attackMeasurement(i, mode, attack.name()).orElseThrow()
                        .accuracy());
                curves.add(plan.curve(attack, mode, clean, recorded, eps -> mean(students, i -> store.curvePoint(i,
                        mode, attack.name(), eps).orElseThrow())));
            }
        }
        return curves;
    }

    private static double mean(List<Integer> students, IntToDoubleFunction value) {
        double sum = 0;
        for (int i : students) sum += value.applyAsDouble(i);
        return sum / students.size();
    }

    /** BEARD's metrics per mode, pooled over the students, from the stored measurements. */
    private static Map<AttackMode, MetricReport> metrics(Request request, StageStore store) {
        Map<AttackMode, MetricReport> metrics = new LinkedHashMap<>();
        for (AttackMode mode : request.attacks().modes()) {
            metrics.put(mode, request.attacks().protocol().metrics().multiAdversary(mode, studentResults(request,
                    store, mode)));
        }
        return metrics;
    }

    /** RRM, AEM and CREI per mode with their spread over the students and bootstrap interval. */
    private static Map<AttackMode, MetricUncertainty> uncertainty(Request request, StageStore store) {
        Map<AttackMode, MetricUncertainty> uncertainty = new LinkedHashMap<>();
        AttackPlan plan = request.attacks();
        for (AttackMode mode : plan.modes()) {
            uncertainty.put(mode, MetricUncertainty.of(plan.protocol().metrics(), mode, studentResults(request, store,
                    mode), MetricUncertainty.DEFAULT_RESAMPLES, plan.seed()));
        }
        return uncertainty;
    }

    private static List<StudentResults> studentResults(Request request, StageStore store, AttackMode mode) {
        List<StudentResults> results = new ArrayList<>();
        for (int i = 0; i < request.training().students(); i++) {
            List<Measurement> measured = new ArrayList<>();
            for (String name : request.attacks().attacks()) {
                store.attackMeasurement(i, mode, name).ifPresent(measured::add);
            }
            results.add(new StudentResults("student " + (i + 1),
                    store.attackMeasurement(i, mode, Measurement.CLEAN).orElseThrow(), measured));
        }
        return results;
    }

    /** Each student's per-class accuracy, worst case over the attacks and sanity flags. */
    private static List<ModelEvidence> evidence(Request request, StageStore store) {
        AttackPlan plan = request.attacks();
        int classes = request.dataset().classCount();
        int[] labels = request.testSet().images().labels();
        List<Attack> attacks = plan.build(classes);
        List<ModelEvidence> evidence = new ArrayList<>();
        for (int i = 0; i < request.training().students(); i++) {
            List<AttackFacts> facts = new ArrayList<>();
            for (Attack attack : attacks) {
                for (AttackMode mode : plan.modes()) {
                    if (!plan.runs(attack, mode)) continue;
                    store.attackMeasurement(i, mode, attack.name()).ifPresent(m -> facts.add(new AttackFacts(mode,
                            mode == AttackMode.UNTARGETED || attack.supportsTargeted(), attack.budget().orElse(null),
                            m)));
                }
            }
            Measurement clean = store.attackMeasurement(i, plan.modes().get(0), Measurement.CLEAN).orElseThrow();
            evidence.add(ModelEvidence.of("student " + (i + 1), labels, classes, clean, facts,
                    curves(request, store, List.of(i)), store.gradientCensus(i).orElse(null)));
        }
        return evidence;
    }
}
