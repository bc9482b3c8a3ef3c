package dev.bristle.ml.verify;

import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.evidence.Estimate;
import dev.bristle.ml.evidence.MetricUncertainty;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.metrics.RobustnessMetrics;
import dev.bristle.ml.metrics.StudentResults;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecord.AttackOutcome;
import dev.bristle.ml.record.EvaluationRecord.Interval;
import dev.bristle.ml.record.EvaluationRecord.ModeMetrics;
import dev.bristle.ml.record.EvaluationRecord.PerImage;
import dev.bristle.ml.record.EvaluationRecord.StudentOutcome;
import dev.bristle.ml.torch.HostTensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a dishonest submitter does to a bundle, each done as well as it can be done: the metrics recomputed so the
 * arithmetic holds, the manifest and hashes rewritten so the integrity holds. Tests and VerificationBenchmark use it.
 */
public final class BundleTampering {

    private BundleTampering() {
    }

    /** {@code record} with RRM, AEM, CREI, their intervals and the worst case recomputed from its per-image results. */
    public static EvaluationRecord recomputed(EvaluationRecord record, int[] labels) {
        RobustnessMetrics rules = AttackProtocol.fromKey(record.settings().protocol()).metrics();
        Map<String, ModeMetrics> metrics = new LinkedHashMap<>();
        record.metrics().forEach((key, claimed) -> {
            AttackMode mode = AttackMode.fromKey(key);
            List<StudentResults> results = ArithmeticCheck.studentResults(record, mode, labels);
            MetricReport report = rules.multiAdversary(mode, results);
            MetricUncertainty u = MetricUncertainty.of(rules, mode, results, MetricUncertainty.DEFAULT_RESAMPLES,
                    record.settings().attackSeed());
            metrics.put(key, new ModeMetrics(report.rr(), report.ae(), report.crei(), interval(u.rrm()),
                    interval(u.aem()), interval(u.crei()), claimed.robustAccuracy() == null ? null
                    : ArithmeticCheck.worstCase(record, mode, labels), claimed.efficiency(), claimed.perAttack()));
        });
        return with(record, record.students(), metrics);
    }

    /**
     * Robust accuracy inflated by {@code points}: per student and mode, that share of the test images, taken among
     * those classified correctly without attack but fooled by some attack, marked robust under every attack of the
     * mode (prediction set to the label); the metrics recomputed.
     */
    public static EvaluationRecord inflated(EvaluationRecord record, int[] labels, double points) {
        int images = record.testSet().images();
        int count = (int) Math.ceil(points / 100 * images);
        List<StudentOutcome> students = new ArrayList<>();
        for (StudentOutcome student : record.students()) {
            List<AttackOutcome> attacks = new ArrayList<>(student.attacks());
            for (String mode : record.settings().modes()) {
                List<Integer> fooled = new ArrayList<>();
                for (int i = 0; i < images && fooled.size() < count; i++) {
                    if (student.cleanPredictions()[i] != labels[i]) continue;
                    int image = i;
                    if (attacks.stream().anyMatch(a -> a.mode().equals(mode)
                            && a.perImage().correct().charAt(image) == '0')) {
                        fooled.add(i);
                    }
                }
                for (int a = 0; a < attacks.size(); a++) {
                    AttackOutcome attack = attacks.get(a);
                    if (!attack.mode().equals(mode)) continue;
                    char[] correct = attack.perImage().correct().toCharArray();
                    int[] prediction = attack.perImage().prediction().clone();
                    for (int i : fooled) {
                        correct[i] = '1';
                        prediction[i] = labels[i];
                    }
                    String marked = new String(correct);
                    attacks.set(a, new AttackOutcome(attack.attack(), attack.mode(), ArithmeticCheck.percent(marked),
                            attack.passesPerImage(), attack.seconds(), attack.passesPerSecond(), attack.batchSizes(),
                            new PerImage(prediction, marked, attack.perImage().passes(), attack.perImage().norm())));
                }
            }
            students.add(new StudentOutcome(student.index(), student.seed(), student.cleanAccuracy(),
                    student.cleanPredictions(), student.stateDictSha256(), attacks, student.flags()));
        }
        return recomputed(with(record, students, record.metrics()), labels);
    }

    /**
     * Writes {@code bundle} again with {@code record} and, where not null, another set or other students, the manifest
     * and hashes made to match.
     */
    public static void rewrite(Bundle bundle, Path out, EvaluationRecord record, Path set,
                               List<LinkedHashMap<String, HostTensor>> students) throws IOException {
        List<LinkedHashMap<String, HostTensor>> weights = students;
        if (weights == null) {
            weights = new ArrayList<>();
            for (int i = 0; i < record.students().size(); i++) weights.add(bundle.stateDict(i));
        }
        BundleWriter.write(out, record, set != null ? set : bundle.file(bundle.setEntry()),
                bundle.manifest().setNormalization(), weights);
    }

    /** {@code record} with other students and metrics. */
    public static EvaluationRecord with(EvaluationRecord record, List<StudentOutcome> students,
                                        Map<String, ModeMetrics> metrics) {
        return new EvaluationRecord(record.schema(), record.schemaVersion(), record.subject(), record.settings(),
                record.testSet(), students, metrics, record.curves(), record.provenance());
    }

    private static Interval interval(Estimate e) {
        return e.low() == null ? null : new Interval(e.low(), e.high());
    }
}
