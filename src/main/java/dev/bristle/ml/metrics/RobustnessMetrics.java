package dev.bristle.ml.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BEARD's robustness metrics: RR (robustness ratio), AE (attack efficiency) and CREI = alpha * RR + (1 - alpha) * AE.
 *
 * <p>Over one student these are the single-IPC values; over several, the multi-IPC ("unified") values: clean
 * accuracy and clean time are averaged over the students, attack accuracies and times are pooled into one list.
 * Over all attacks of a mode they are RRM/AEM (multi adversary); over one attack, RRS/AES (single adversary).
 * In targeted mode the attacks without a targeted variant are left out.
 *
 * <p>Edge cases, where the published rules are silent or degenerate:
 * <ul>
 *   <li>no attack measurement: every metric is null;</li>
 *   <li>RR's denominator (mean clean - min attack) is 0: RR is 0, as BEARD defines;</li>
 *   <li>an attack accuracy above the mean clean accuracy counts as the clean accuracy (an attack cannot make a
 *       student more accurate; the excess is sampling noise), so RR stays within [0, 100];</li>
 *   <li>AE's denominator (max attack time - mean clean time) is 0 or negative: AE is 0, as BEARD defines;
 *       a mean attack time below the clean time gives AE 0 rather than a negative effort;</li>
 *   <li>any missing time (clean or attack): AE and CREI are null, RR is still given.</li>
 *   <li>AE from model passes ({@link EfficiencyBasis#MODEL_PASSES}, the sound protocol): the same formula with passes
 *       per image in place of seconds, so it is the same on any machine.</li>
 * </ul>
 * A single attack over a single student always gives RR 0 and AE 100 (mean equals min and max): single-adversary
 * values are only informative when pooled over several IPCs.
 */
public final class RobustnessMetrics {

    public static final double DEFAULT_ALPHA = 0.5;
    /** The attacks BEARD runs without a targeted mode; their targeted rows score clean images. */
    public static final Set<String> BEARD_UNTARGETED_ONLY = Set.of("DeepFool", "AutoAttack");

    private final double alpha;
    private final Set<String> untargetedOnly;
    private final EfficiencyBasis efficiency;

    public RobustnessMetrics(double alpha, Set<String> untargetedOnly) {
        this(alpha, untargetedOnly, EfficiencyBasis.WALL_TIME);
    }

    private RobustnessMetrics(double alpha, Set<String> untargetedOnly, EfficiencyBasis efficiency) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        this.alpha = alpha;
        this.untargetedOnly = Set.copyOf(untargetedOnly);
        this.efficiency = efficiency;
    }

    /** BEARD's setting: alpha 0.5, DeepFool and AutoAttack untargeted only, AE from wall time. */
    public static RobustnessMetrics beard() {
        return new RobustnessMetrics(DEFAULT_ALPHA, BEARD_UNTARGETED_ONLY);
    }

    /** The same rules with AE computed from {@code basis}' costs. */
    public RobustnessMetrics withEfficiency(EfficiencyBasis basis) {
        return new RobustnessMetrics(alpha, untargetedOnly, basis);
    }

    public EfficiencyBasis efficiency() {
        return efficiency;
    }

    public double alpha() {
        return alpha;
    }

    /** RRM, AEM and CREI over all attacks of the mode, pooled over the given students. */
    public MetricReport multiAdversary(AttackMode mode, List<StudentResults> students) {
        return compute(mode, students, null);
    }

    /** RRS, AES and CREI of each attack alone, in the order the attacks first appear. */
    public Map<String, MetricReport> singleAdversary(AttackMode mode, List<StudentResults> students) {
        Set<String> names = new LinkedHashSet<>();
        students.forEach(s -> s.attacks().forEach(a -> names.add(a.attack())));
        Map<String, MetricReport> reports = new LinkedHashMap<>();
        for (String name : names) {
            if (includes(mode, name)) {
                reports.put(name, compute(mode, students, name));
            }
        }
        return reports;
    }

    private boolean includes(AttackMode mode, String attack) {
        return mode == AttackMode.UNTARGETED || !untargetedOnly.contains(attack);
    }

    private MetricReport compute(AttackMode mode, List<StudentResults> students, String onlyAttack) {
        List<String> notes = new ArrayList<>();
        Set<String> attackNames = new LinkedHashSet<>();
        Set<String> excluded = new LinkedHashSet<>();
        List<Measurement> pooled = new ArrayList<>();
        for (StudentResults student : students) {
            for (Measurement m : student.attacks()) {
                if (onlyAttack != null && !onlyAttack.equals(m.attack())) {
                    continue;
                }
                if (includes(mode, m.attack())) {
                    attackNames.add(m.attack());
                    pooled.add(m);
                } else {
                    excluded.add(m.attack());
                }
            }
        }
        if (!excluded.isEmpty()) {
            notes.add("left out of targeted metrics (no targeted mode): " + String.join(", ", excluded));
        }
        List<String> labels = students.stream().map(StudentResults::label).toList();
        if (students.isEmpty() || pooled.isEmpty()) {
            notes.add("no attack results: RR, AE and CREI are undefined");
            return new MetricReport(mode, alpha, labels, List.copyOf(attackNames), List.copyOf(excluded),
                    null, null, null, null, null, List.copyOf(notes));
        }

        MetricReport.RobustnessInputs robustness = robustnessInputs(students, pooled, notes);
        double rr = rr(robustness, notes);
        boolean costsComplete = students.stream().allMatch(s -> efficiency.cost(s.clean()) != null)
                && pooled.stream().allMatch(m -> efficiency.cost(m) != null);
        if (!costsComplete) {
            notes.add((efficiency == EfficiencyBasis.WALL_TIME ? "a wall time" : "a pass count")
                    + " is missing: AE and CREI are undefined");
            return new MetricReport(mode, alpha, labels, List.copyOf(attackNames), List.copyOf(excluded),
                    robustness, null, rr, null, null, List.copyOf(notes));
        }
        var efficiencyInputs = new MetricReport.EfficiencyInputs(efficiency,
                students.stream().mapToDouble(s -> efficiency.cost(s.clean())).average().orElseThrow(),
                pooled.stream().mapToDouble(efficiency::cost).average().orElseThrow(),
                pooled.stream().mapToDouble(efficiency::cost).max().orElseThrow());
        double ae = ae(efficiencyInputs, notes);
        double crei = alpha * rr + (1 - alpha) * ae;
        return new MetricReport(mode, alpha, labels, List.copyOf(attackNames), List.copyOf(excluded),
                robustness, efficiencyInputs, rr, ae, crei, List.copyOf(notes));
    }

    /** The mean clean accuracy, and the mean and least attack accuracy with each clamped to the mean clean one. */
    private static MetricReport.RobustnessInputs robustnessInputs(List<StudentResults> students,
                                                                  List<Measurement> pooled, List<String> notes) {
        double meanClean = students.stream().mapToDouble(s -> s.clean().accuracy()).average().orElseThrow();
        double clampedSum = 0;
        double minAttack = Double.POSITIVE_INFINITY;
        boolean clamped = false;
        for (Measurement m : pooled) {
            double accuracy = m.accuracy();
            if (accuracy > meanClean) {
                accuracy = meanClean;
                clamped = true;
            }
            clampedSum += accuracy;
            minAttack = Math.min(minAttack, accuracy);
        }
        if (clamped) {
            notes.add("an attack accuracy above the mean clean accuracy was counted as the clean accuracy");
        }
        return new MetricReport.RobustnessInputs(meanClean, clampedSum / pooled.size(), minAttack, pooled.size());
    }

    private static double rr(MetricReport.RobustnessInputs in, List<String> notes) {
        double rrDenominator = in.meanClean() - in.minAttack();
        if (rrDenominator == 0) {
            notes.add("RR denominator (mean clean - min attack accuracy) is 0: RR is 0");
            return 0;
        }
        return 100 * (1 - (in.meanClean() - in.meanAttack()) / rrDenominator);
    }

    private static double ae(MetricReport.EfficiencyInputs in, List<String> notes) {
        String cost = in.basis() == EfficiencyBasis.WALL_TIME ? "time" : "pass count";
        double aeDenominator = in.maxAttack() - in.meanClean();
        if (aeDenominator <= 0) {
            notes.add("AE denominator (max attack " + cost + " - mean clean " + cost + ") is not positive: AE is 0");
            return 0;
        }
        if (in.meanAttack() < in.meanClean()) {
            notes.add("mean attack " + cost + " is below the clean " + cost + ": AE is 0");
            return 0;
        }
        return 100 * (in.meanAttack() - in.meanClean()) / aeDenominator;
    }
}
