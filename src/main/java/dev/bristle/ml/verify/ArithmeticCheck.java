package dev.bristle.ml.verify;

import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.evidence.MetricUncertainty;
import dev.bristle.ml.evidence.Estimate;
import dev.bristle.ml.metrics.RobustnessMetrics;
import dev.bristle.ml.metrics.StudentResults;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecord.AttackOutcome;
import dev.bristle.ml.record.EvaluationRecord.Interval;
import dev.bristle.ml.record.EvaluationRecord.ModeMetrics;
import dev.bristle.ml.record.EvaluationRecord.StudentOutcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Arithmetic: every figure the board shows, recomputed from the record's per-image results: each student's clean
 * accuracy (its predictions against the official labels), each attack's accuracy (its per-image correctness) and
 * passes per image (its per-image passes), and per mode RRM, AEM, CREI, their bootstrap intervals (same resamples,
 * same seed) and the worst-case robust accuracy. Each must equal the record's within the arithmetic tolerance.
 */
final class ArithmeticCheck {

    private ArithmeticCheck() {
    }

    static CheckOutcome run(Bundle bundle, VerificationContext context) {
        EvaluationRecord record = bundle.record();
        double tolerance = context.bounds().arithmeticTolerance();
        int images = record.testSet().images();
        int[] labels = context.testSet().images().labels();
        List<String> problems = new ArrayList<>();
        if (labels.length < images) {
            return outcome(false, "the record has " + images + " test images, the official split here "
                    + labels.length, 0);
        }
        AttackProtocol protocol = AttackProtocol.fromKey(record.settings().protocol());
        RobustnessMetrics metrics = protocol.metrics();
        int figures = 0;
        for (StudentOutcome student : record.students()) {
            if (student.cleanPredictions() == null) return outcome(false, "the record has no per-image results", 0);
            String clean = correctness(student.cleanPredictions(), labels);
            figures += compare(problems, "student " + (student.index() + 1) + "'s clean accuracy", percent(clean),
                    student.cleanAccuracy(), tolerance);
            for (AttackOutcome attack : student.attacks()) {
                if (attack.perImage() == null) return outcome(false, "the record has no per-image results", 0);
                String label = "student " + (student.index() + 1) + ", " + attack.attack() + " " + attack.mode();
                figures += compare(problems, label + " accuracy", percent(attack.perImage().correct()),
                        attack.accuracy(), tolerance);
                if (attack.passesPerImage() != null) {
                    figures += compare(problems, label + " passes per image", passes(attack), attack.passesPerImage(),
                            tolerance);
                }
            }
        }
        for (Map.Entry<String, ModeMetrics> entry : record.metrics().entrySet()) {
            AttackMode mode = AttackMode.fromKey(entry.getKey());
            ModeMetrics claimed = entry.getValue();
            List<StudentResults> students = studentResults(record, mode, labels);
            MetricReport report = metrics.multiAdversary(mode, students);
            String m = mode.key() + " ";
            figures += compare(problems, m + "RRM", report.rr(), claimed.rrm(), tolerance);
            figures += compare(problems, m + "AEM", report.ae(), claimed.aem(), tolerance);
            figures += compare(problems, m + "CREI", report.crei(), claimed.crei(), tolerance);
            MetricUncertainty uncertainty = MetricUncertainty.of(metrics, mode, students,
                    MetricUncertainty.DEFAULT_RESAMPLES, record.settings().attackSeed());
            figures += compare(problems, m + "RRM interval", uncertainty.rrm(), claimed.rrmInterval(), tolerance);
            figures += compare(problems, m + "AEM interval", uncertainty.aem(), claimed.aemInterval(), tolerance);
            figures += compare(problems, m + "CREI interval", uncertainty.crei(), claimed.creiInterval(), tolerance);
            if (claimed.robustAccuracy() != null) {
                figures += compare(problems, m + "robust accuracy", worstCase(record, mode, labels),
                        claimed.robustAccuracy(), tolerance);
            }
        }
        String summary = problems.isEmpty()
                ? String.format(Locale.ROOT, "%d figures recomputed from the per-image results of %d test images"
                + " equal the record's", figures, images)
                : problems.size() + " figure(s) differ from the record's: " + String.join("; ",
                problems.subList(0, Math.min(5, problems.size()))) + (problems.size() > 5 ? "; ..." : "");
        return outcome(problems.isEmpty(), summary, images);
    }

    /** Per student, the clean pass and the attacks of {@code mode} in the settings' order, from per-image results. */
    static List<StudentResults> studentResults(EvaluationRecord record, AttackMode mode, int[] labels) {
        List<StudentResults> results = new ArrayList<>();
        for (StudentOutcome student : record.students()) {
            String clean = correctness(student.cleanPredictions(), labels);
            List<Measurement> measured = new ArrayList<>();
            for (String name : record.settings().attacks()) {
                for (AttackOutcome attack : student.attacks()) {
                    if (!attack.attack().equals(name) || !attack.mode().equals(mode.key())) continue;
                    measured.add(new Measurement(name, percent(attack.perImage().correct()), attack.seconds(),
                            attack.passesPerImage() == null ? null : passes(attack), attack.perImage().correct()));
                }
            }
            results.add(new StudentResults("student " + (student.index() + 1), new Measurement(Measurement.CLEAN,
                    percent(clean), null, 1.0, clean), measured));
        }
        return results;
    }

    /** The mean over the students of the share of images correct without attack and after every attack of the mode. */
    static double worstCase(EvaluationRecord record, AttackMode mode, int[] labels) {
        double sum = 0;
        for (StudentOutcome student : record.students()) {
            char[] robust = correctness(student.cleanPredictions(), labels).toCharArray();
            for (AttackOutcome attack : student.attacks()) {
                if (!attack.mode().equals(mode.key())) continue;
                String correct = attack.perImage().correct();
                for (int i = 0; i < robust.length; i++) if (correct.charAt(i) != '1') robust[i] = '0';
            }
            sum += percent(new String(robust));
        }
        return sum / record.students().size();
    }

    static String correctness(int[] predictions, int[] labels) {
        StringBuilder correct = new StringBuilder(predictions.length);
        for (int i = 0; i < predictions.length; i++) correct.append(predictions[i] == labels[i] ? '1' : '0');
        return correct.toString();
    }

    static double percent(String correct) {
        long ones = correct.chars().filter(c -> c == '1').count();
        return correct.isEmpty() ? Double.NaN : 100.0 * ones / correct.length();
    }

    /** Passes per image from the per-image passes, the scoring pass included as the record counts it. */
    private static double passes(AttackOutcome attack) {
        double sum = 0;
        for (int p : attack.perImage().passes()) sum += p;
        return sum / attack.perImage().passes().length;
    }

    private static int compare(List<String> problems, String what, Double recomputed, Double claimed,
                               double tolerance) {
        boolean same = recomputed == null ? claimed == null
                : claimed != null && Math.abs(recomputed - claimed) <= tolerance;
        if (!same) problems.add(String.format(Locale.ROOT, "%s is %s, recomputed %s", what, show(claimed),
                show(recomputed)));
        return 1;
    }

    private static int compare(List<String> problems, String what, Estimate recomputed, Interval claimed,
                               double tolerance) {
        Double low = recomputed.low();
        Double high = recomputed.high();
        boolean same = low == null ? claimed == null : claimed != null
                && Math.abs(low - claimed.low()) <= tolerance && Math.abs(high - claimed.high()) <= tolerance;
        if (!same) problems.add(what + " differs");
        return 1;
    }

    private static String show(Double value) {
        return value == null ? "undefined" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static CheckOutcome outcome(boolean passed, String summary, int images) {
        return new CheckOutcome(VerificationCheck.ARITHMETIC, passed, summary, images, null, null, List.of(), null, 0);
    }
}
