package dev.bristle.ml.record;

import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.attack.BudgetSweep;
import dev.bristle.ml.attack.Norm;
import dev.bristle.ml.evidence.Estimate;
import dev.bristle.ml.evidence.MetricUncertainty;
import dev.bristle.ml.evidence.ModelEvidence;
import dev.bristle.ml.evidence.SanityFlag;
import dev.bristle.ml.evidence.WorstCase;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.ImageResults;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.metrics.StudentResults;
import dev.bristle.ml.record.EvaluationRecord.AttackOutcome;
import dev.bristle.ml.record.EvaluationRecord.Curve;
import dev.bristle.ml.record.EvaluationRecord.CurvePoint;
import dev.bristle.ml.record.EvaluationRecord.Flag;
import dev.bristle.ml.record.EvaluationRecord.Interval;
import dev.bristle.ml.record.EvaluationRecord.ModeMetrics;
import dev.bristle.ml.record.EvaluationRecord.PerImage;
import dev.bristle.ml.record.EvaluationRecord.SingleAdversary;
import dev.bristle.ml.record.EvaluationRecord.StudentOutcome;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the measured parts of an {@link EvaluationRecord} (students, metrics, curves) from what a run measured, the
 * same way for {@code score} (its stage store), a job (its stored results) and {@code evaluate} (one checkpoint).
 */
public final class RecordAssembler {

    /** Where a run's measurements are: student {@code index}'s of {@code attack} ("Clean": the clean pass). */
    @FunctionalInterface
    public interface Measurements {
        Optional<Measurement> find(int index, AttackMode mode, String attack);
    }

    /**
     * What a run measured.
     *
     * @param attacks          the attacks in run order
     * @param modes            the modes in run order
     * @param seeds            each student's training seed
     * @param cleanAccuracy    each student's clean accuracy (%)
     * @param cleanPredictions each student's clean predictions when no attack pass holds them (no attacks); else null
     * @param measurements     the attack passes' measurements
     * @param metrics          per mode, the multi-adversary metrics
     * @param uncertainty      per mode, their bootstrap intervals
     * @param evidence         per student, its worst case and sanity flags (empty without attacks)
     * @param curves           the budget grid's curves (empty without one)
     */
    public record Run(AttackProtocol protocol, List<String> attacks, List<AttackMode> modes, List<Long> seeds,
                      List<Double> cleanAccuracy, List<int[]> cleanPredictions, Measurements measurements,
                      Map<AttackMode, MetricReport> metrics, Map<AttackMode, MetricUncertainty> uncertainty,
                      List<ModelEvidence> evidence, List<BudgetSweep.Curve> curves) {
    }

    private RecordAssembler() {
    }

    public static List<StudentOutcome> students(Run run) {
        List<StudentOutcome> students = new ArrayList<>();
        for (int i = 0; i < run.cleanAccuracy().size(); i++) {
            int index = i;
            int[] clean = run.modes().isEmpty() ? null : run.measurements().find(i, run.modes().get(0),
                    Measurement.CLEAN).map(Measurement::images).map(ImageResults::prediction).orElse(null);
            if (clean == null && run.cleanPredictions() != null) clean = run.cleanPredictions().get(i);
            List<AttackOutcome> attacks = new ArrayList<>();
            for (AttackMode mode : run.modes()) {
                for (String attack : run.attacks()) {
                    run.measurements().find(i, mode, attack).ifPresent(m -> attacks.add(attack(mode, m)));
                }
            }
            List<Flag> flags = i < run.evidence().size() ? run.evidence().get(i).flags().stream()
                    .map(RecordAssembler::flag).toList() : List.of();
            students.add(new StudentOutcome(index, run.seeds().get(i), run.cleanAccuracy().get(i), clean, null,
                    attacks, flags));
        }
        return students;
    }

    private static AttackOutcome attack(AttackMode mode, Measurement m) {
        ImageResults images = m.images();
        int count = images != null ? images.prediction().length : m.correct() != null ? m.correct().length() : 0;
        Double perSecond = m.passes() != null && m.seconds() != null && m.seconds() > 0 && count > 0
                ? m.passes() * count / m.seconds() : null;
        PerImage perImage = images == null || m.correct() == null ? null
                : new PerImage(images.prediction(), m.correct(), images.passes(), images.norm());
        return new AttackOutcome(m.attack(), mode.key(), m.accuracy(), m.passes(), m.seconds(), perSecond,
                m.batchSizes(), perImage);
    }

    private static Flag flag(SanityFlag flag) {
        return new Flag(flag.check().key(), flag.mode() == null ? null : flag.mode().key(), flag.attacks(),
                flag.evidence());
    }

    /** Per mode key: the metrics, their intervals, the worst case and each attack's single-adversary metrics. */
    public static Map<String, ModeMetrics> metrics(Run run) {
        Map<String, ModeMetrics> metrics = new LinkedHashMap<>();
        for (Map.Entry<AttackMode, MetricReport> entry : run.metrics().entrySet()) {
            AttackMode mode = entry.getKey();
            MetricReport report = entry.getValue();
            MetricUncertainty u = run.uncertainty().get(mode);
            double robust = run.evidence().stream().map(ModelEvidence::worstCase).flatMap(List::stream)
                    .filter(w -> w.mode() == mode).mapToDouble(WorstCase::accuracy).average().orElse(Double.NaN);
            Map<String, SingleAdversary> perAttack = new LinkedHashMap<>();
            run.protocol().metrics().singleAdversary(mode, studentResults(run, mode)).forEach((attack, single) ->
                    perAttack.put(attack, new SingleAdversary(single.rr(), single.ae(), single.crei())));
            metrics.put(mode.key(), new ModeMetrics(report.rr(), report.ae(), report.crei(),
                    u == null ? null : interval(u.rrm()), u == null ? null : interval(u.aem()),
                    u == null ? null : interval(u.crei()), Double.isNaN(robust) ? null : robust,
                    run.protocol().efficiencyBasis().key(), perAttack));
        }
        return metrics;
    }

    private static List<StudentResults> studentResults(Run run, AttackMode mode) {
        List<StudentResults> students = new ArrayList<>();
        for (int i = 0; i < run.cleanAccuracy().size(); i++) {
            Optional<Measurement> clean = run.measurements().find(i, mode, Measurement.CLEAN);
            if (clean.isEmpty()) continue;
            List<Measurement> measured = new ArrayList<>();
            for (String attack : run.attacks()) run.measurements().find(i, mode, attack).ifPresent(measured::add);
            students.add(new StudentResults("student " + (i + 1), clean.get(), measured));
        }
        return students;
    }

    private static Interval interval(Estimate estimate) {
        return estimate == null || estimate.low() == null || estimate.high() == null ? null
                : new Interval(estimate.low(), estimate.high());
    }

    public static List<Curve> curves(List<BudgetSweep.Curve> curves) {
        return curves.stream().map(c -> new Curve(c.attack(), c.mode().key(), c.norm() == Norm.LINF ? "Linf" : "L2",
                c.points().stream().map(p -> new CurvePoint(p.eps(), p.accuracy())).toList())).toList();
    }
}
