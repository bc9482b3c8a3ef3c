package dev.bristle.cli;

import ai.djl.Device;
import dev.bristle.ml.attack.Attack;
import dev.bristle.charts.CurveChart;
import dev.bristle.ml.attack.AttackBudgets;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.attack.AttackRun;
import dev.bristle.ml.attack.AttackSuite;
import dev.bristle.ml.attack.BudgetSweep;
import dev.bristle.ml.attack.Norm;
import dev.bristle.ml.attack.GradientCensus;
import dev.bristle.ml.evidence.AttackFacts;
import dev.bristle.ml.evidence.MetricUncertainty;
import dev.bristle.ml.evidence.ModelEvidence;
import dev.bristle.ml.evidence.SanityFlag;
import dev.bristle.ml.evidence.WorstCase;
import dev.bristle.ml.attack.CleanRun;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.metrics.StudentResults;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.ImageSet;
import dev.bristle.ml.score.AttackPlan;
import dev.bristle.ml.score.AttackSession;
import dev.bristle.ml.score.ScoringPipeline;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one invocation of {@code evaluate --attacks} measured, and how it is printed.
 *
 * @param runs     the runs at the recorded budgets
 * @param facts    each run (same order) as the metrics and the record take it, per-image results included
 * @param sweep    the budget grid's curves and minimal perturbations; null without a grid
 * @param evidence per-class accuracy, the worst case over the attacks per mode, the sanity flags
 */
public record AttackReport(AttackProtocol protocol, long seed, AttackBudgets budgets, CleanRun clean,
                           List<AttackRun> runs, List<AttackFacts> facts, BudgetSweep.Result sweep,
                           ModelEvidence evidence) {

    /**
     * The clean pass and every attack of {@code plan} in every mode (and at every budget of its grid), run by the
     * attack stage {@code score} runs too, and their metrics and evidence.
     */
    static AttackReport run(AttackPlan plan, Map<String, HostTensor> stateDict, DatasetKind dataset, Device device,
                      ImageSet images, String label, AttackSuite.Progress progress) {
        try (AttackSession session = new AttackSession(plan, stateDict, dataset, device, images, progress)) {
            CleanRun clean = session.clean();
            GradientCensus gradients = session.gradientCensus();
            Map<String, Attack> attacks = new HashMap<>();
            plan.build(dataset.classCount()).forEach(attack -> attacks.put(attack.name(), attack));
            List<AttackRun> runs = new ArrayList<>();
            List<AttackFacts> facts = new ArrayList<>();
            List<BudgetSweep.MinimalPerturbation> minimal = new ArrayList<>();
            Map<ScoringPipeline.AttackUnit, Double> gridAccuracy = new HashMap<>();
            for (ScoringPipeline.AttackUnit unit : session.units()) {
                AttackRun run = session.run(unit);
                for (BudgetSweep.Point point : session.curvePoints(unit, run)) {
                    gridAccuracy.put(new ScoringPipeline.AttackUnit(unit.attack(), unit.mode(), point.eps()),
                            point.accuracy());
                }
                if (unit.eps() != null) continue;
                Attack attack = attacks.get(unit.attack());
                runs.add(run);
                facts.add(new AttackFacts(run.mode(), run.executed(), attack.budget().orElse(null),
                        run.measurement(attack.budget().isEmpty())));
                if (plan.grid() != null && attack.budget().isEmpty()) {
                    minimal.add(BudgetSweep.minimalPerturbation(run));
                }
            }
            BudgetSweep.Result sweep = null;
            if (plan.grid() != null) {
                List<BudgetSweep.Curve> curves = new ArrayList<>();
                for (AttackRun run : runs) {
                    curves.add(plan.curve(attacks.get(run.attack()), run.mode(), clean.accuracy(), run.accuracy(),
                            eps -> gridAccuracy.get(new ScoringPipeline.AttackUnit(run.attack(), run.mode(), eps))));
                }
                sweep = new BudgetSweep.Result(curves, minimal);
            }
            ModelEvidence evidence = ModelEvidence.of(label, images.labels(), dataset.classCount(),
                    clean.measurement(), facts, sweep == null ? List.of() : sweep.curves(), gradients);
            return new AttackReport(plan.protocol(), plan.seed(), plan.budgets(), clean, runs, facts, sweep, evidence);
        }
    }


    public void printTable(PrintWriter out) {
        out.printf("protocol %s, seed %d, recorded budgets: L-inf %s, L2 %s%n", protocol.key(), seed,
                in255ths(budgets.linf()), trim(budgets.l2()));
        out.printf("%-12s %-10s %9s %9s %9s%n", "attack", "mode", "accuracy", "ASR", "seconds");
        out.printf("%-12s %-10s %8.2f%% %9s %9.1f%n", "Clean", "-", clean.accuracy(), "-", clean.seconds());
        for (AttackRun run : runs) {
            Double asr = run.success().asr();
            out.printf("%-12s %-10s %8.2f%% %9s %9.1f%s%n", run.attack(), run.mode().key(), run.accuracy(),
                    asr == null ? "-" : String.format("%.2f%%", asr), run.seconds(),
                    run.executed() ? "" : "  (not run: clean images scored, as BEARD)");
        }
        for (AttackMode mode : modes()) {
            MetricReport multi = metrics().get(mode);
            out.printf("%s: RRM %s, AEM %s, CREI %s (AE from %s)%n", mode.key(), number(multi.rr()),
                    number(multi.ae()), number(multi.crei()), protocol.efficiencyBasis().key());
        }
        for (WorstCase worst : evidence.worstCase()) {
            out.printf("%s: worst case over %s: %.2f %% (worst class %s at %s %%)%n", worst.mode().key(),
                    String.join(", ", worst.attacks()), worst.accuracy(), worst.perClass().worstClass(),
                    number(worst.perClass().worst()));
        }
        out.printf("zero input gradients at the clean point: %d of %d images%n", evidence.gradients().zero(),
                evidence.gradients().images());
        if (evidence.flags().isEmpty()) out.println("sanity checks: none raised");
        for (SanityFlag flag : evidence.flags()) out.println("sanity check raised: " + flag.evidence());
        if (sweep == null) return;
        printCurves(out, sweep.curves());
        for (BudgetSweep.MinimalPerturbation minimal : sweep.minimal()) {
            out.printf("%-12s %-10s median minimal perturbation: L2 %s, Linf %s (fooled %d of %d)%n",
                    minimal.attack(), minimal.mode().key(), trim(minimal.medianL2()),
                    in255ths(minimal.medianLinf()), minimal.fooled(), minimal.attacked());
        }
    }

    /** The curves as an SVG chart: one panel per norm. */
    public String chart(String title) {
        return CurveChart.ofCurves(title, sweep.curves());
    }

    private static String in255ths(double eps) {
        return Double.isInfinite(eps) ? "inf" : trim(eps * 255) + "/255";
    }

    private static String trim(double value) {
        if (Double.isInfinite(value)) return "inf";
        return String.format(Locale.ROOT, "%.4f", value).replaceAll("\\.?0+$", "");
    }

    /** BEARD's multi-adversary metrics of this one model per mode, as a scoring run's are of its students. */
    public Map<AttackMode, MetricReport> metrics() {
        Map<AttackMode, MetricReport> metrics = new LinkedHashMap<>();
        for (AttackMode mode : modes()) {
            metrics.put(mode, protocol.metrics().multiAdversary(mode, List.of(student(mode))));
        }
        return metrics;
    }

    /** The metrics' bootstrap intervals per mode, as a scoring run computes them. */
    public Map<AttackMode, MetricUncertainty> uncertainty() {
        Map<AttackMode, MetricUncertainty> uncertainty = new LinkedHashMap<>();
        for (AttackMode mode : modes()) {
            uncertainty.put(mode, MetricUncertainty.of(protocol.metrics(), mode, List.of(student(mode)),
                    MetricUncertainty.DEFAULT_RESAMPLES, seed));
        }
        return uncertainty;
    }

    private List<AttackMode> modes() {
        return runs.stream().map(AttackRun::mode).distinct().toList();
    }

    private StudentResults student(AttackMode mode) {
        return new StudentResults(evidence.label(), clean.measurement(),
                facts.stream().filter(f -> f.mode() == mode).map(AttackFacts::measurement).toList());
    }

    private static String number(Double value) {
        return value == null ? "-" : String.format("%.2f", value);
    }

    /** A line per curve: its accuracy at each budget. */
    static void printCurves(PrintWriter out, List<BudgetSweep.Curve> curves) {
        out.println("accuracy versus budget (pixels; CW and DeepFool read off their minimal perturbations):");
        for (BudgetSweep.Curve curve : curves) {
            StringBuilder line = new StringBuilder(String.format("%-12s %-10s %-4s", curve.attack(),
                    curve.mode().key(), curve.norm() == Norm.LINF ? "Linf" : "L2"));
            for (BudgetSweep.Point point : curve.points()) {
                line.append(String.format("  %s: %.2f%%", curve.norm() == Norm.LINF ? in255ths(point.eps())
                        : trim(point.eps()), point.accuracy()));
            }
            out.println(line);
        }
    }
}
