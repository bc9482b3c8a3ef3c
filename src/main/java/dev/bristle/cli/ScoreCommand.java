package dev.bristle.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bristle.charts.CurveChart;
import dev.bristle.ml.attack.AttackLibrary;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.attack.BudgetSweep;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.score.AttackPlan;
import dev.bristle.ml.data.Normalization;
import dev.bristle.ml.score.DistilledFile;
import dev.bristle.ml.score.MemoryStageStore;
import dev.bristle.ml.evidence.Estimate;
import dev.bristle.ml.evidence.ModelEvidence;
import dev.bristle.ml.evidence.WorstCase;
import dev.bristle.ml.score.ScoringPipeline;
import dev.bristle.ml.score.TestSets;
import dev.bristle.ml.train.TrainingConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./bristle score}: the scoring pipeline of the web app's jobs, without the web app: checks a distilled set
 * as an upload is checked, trains students on it, measures their clean accuracy and, with {@code --attacks}, their
 * robustness (BEARD's metrics per mode).
 */
public final class ScoreCommand implements CliCommand {

    @Override
    public String name() {
        return "score";
    }

    @Override
    public String summary() {
        return "train students on a distilled set, attack them, compute CREI (the web app's scoring pipeline)";
    }

    @Override
    public String usage() {
        return """
                usage: bristle score --file FILE --dataset NAME --ipc N --method NAME [options]
                  --file FILE            res_*.pt (DC/DSA/DM), .npz, or a zip of MTT's images_best.pt and labels_best.pt
                  --labels FILE          MTT's labels_best.pt, when --file is its images_best.pt
                  --dataset NAME         CIFAR-10, CIFAR-100, TinyImageNet, MNIST or Fashion-MNIST
                  --ipc N                images per class the set holds
                  --method NAME          the distillation method, for the report
                  --normalization KIND   mean-std (the dataset's mean/std, default) or pixels ([0, 1])
                  --epochs N             BEARD's nominal epochs (default 1000; N + 1 are trained, as BEARD does)
                  --students K           students to train (default 5)
                  --limit N              evaluate on the first N test images (default: the whole test split)
                  --seed S               base seed of the students (default 0)
                  --data DIR             data directory holding the test split (default $BRISTLE_HOME/data)
                  --json OUT             also write the result as JSON
                  --attacks A,B,...      attacks to run (FGSM, PGD, PGD_L2, CW, DeepFool, AutoAttack, Square, SPSA,
                                         Noise, or all); default: none, clean accuracy only
                  --modes M,...          targeted and/or untargeted (default both)
                  --protocol P           beard (as published, default) or sound (pixel space)
                  --grid G               sound protocol: also run each budgeted attack over a budget grid, for
                                         accuracy-versus-budget curves: default (1, 2, 4, 8 /255; L2 0.125, 0.25,
                                         0.5), none (the default) or "LINF,..;L2,.." such as "1/255,4/255;0.5"
                  --plot FILE.svg        with a grid: draw the curves (the mean over the students) into FILE.svg
                exit status: 0 scored, 2 bad arguments, an unreadable file or a set that fails the checks""";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Path file = null;
        Path labels = null;
        String dataset = null;
        Integer ipc = null;
        String method = null;
        String normalization = "mean-std";
        int epochs = 1000;
        int students = 5;
        Integer limit = null;
        long seed = 0;
        Path data = Path.of(System.getenv().getOrDefault("BRISTLE_HOME", ".bristle")).resolve("data");
        Path json = null;
        List<String> attacks = List.of();
        List<AttackMode> modes = List.of(AttackMode.TARGETED, AttackMode.UNTARGETED);
        AttackProtocol protocol = AttackProtocol.BEARD;
        BudgetSweep.Grid grid = null;
        Path plot = null;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            switch (option) {
                case "--file" -> file = Path.of(value(args, ++i, option));
                case "--labels" -> labels = Path.of(value(args, ++i, option));
                case "--dataset" -> dataset = value(args, ++i, option);
                case "--ipc" -> ipc = positive(value(args, ++i, option), option);
                case "--method" -> method = value(args, ++i, option);
                case "--normalization" -> normalization = value(args, ++i, option);
                case "--epochs" -> epochs = positive(value(args, ++i, option), option);
                case "--students" -> students = positive(value(args, ++i, option), option);
                case "--limit" -> limit = positive(value(args, ++i, option), option);
                case "--seed" -> seed = Long.parseLong(value(args, ++i, option));
                case "--data" -> data = Path.of(value(args, ++i, option));
                case "--json" -> json = Path.of(value(args, ++i, option));
                case "--attacks" -> attacks = attackNames(value(args, ++i, option));
                case "--modes" -> modes = modes(value(args, ++i, option));
                case "--protocol" -> protocol = protocol(value(args, ++i, option));
                case "--grid" -> grid = AttackOptions.parseGrid(value(args, ++i, option));
                case "--plot" -> plot = AttackOptions.plotFile(value(args, ++i, option));
                default -> throw new CliUsageException("unknown option '" + option + "'");
            }
        }
        if (file == null || dataset == null || ipc == null || method == null) {
            throw new CliUsageException("--file, --dataset, --ipc and --method are required");
        }
        if (grid != null && protocol != AttackProtocol.SOUND) {
            throw new CliUsageException("--grid needs --protocol sound: BEARD's budgets act on normalized tensors");
        }
        if (plot != null && (grid == null || attacks.isEmpty())) {
            throw new CliUsageException("--plot needs --attacks and a budget grid (--grid default or a list)");
        }
        DatasetKind kind;
        try {
            kind = DatasetKind.fromName(dataset);
        } catch (IllegalArgumentException e) {
            throw new CliUsageException(e.getMessage());
        }
        Normalization stated = switch (normalization) {
            case "mean-std" -> Normalization.meanStd(kind);
            case "pixels" -> Normalization.PIXELS_0_1;
            default -> throw new CliUsageException("--normalization must be mean-std or pixels, not '"
                    + normalization + "'");
        };

        DistilledFile.Checked checked = readAndCheck(file, labels, new DistilledFile.Declared(kind, ipc, stated));
        if (!checked.problems().isEmpty()) {
            err.println("bristle score: " + file + " does not hold what was stated:");
            checked.problems().forEach(p -> err.println("  - " + p));
            return 2;
        }
        TestSets.TestSet test = TestSets.load(kind, data);
        if (limit != null) test = test.firstImages(limit);
        TrainingConfig training = TrainingConfig.beard(epochs, seed).withStudents(students);
        AttackPlan plan = AttackPlan.of(attacks, modes, protocol, seed);
        ScoringPipeline.Result result = new ScoringPipeline().run(
                new ScoringPipeline.Request(method, checked.set(), kind, test, training,
                        grid == null ? plan : plan.withGrid(grid)), new MemoryStageStore(), new ProgressPrinter(err));

        out.printf(Locale.ROOT, "%s on %s, IPC %d: %d student(s), %d epoch(s) each, %d test images%n", method, kind,
                ipc, students, training.epochs(), result.testImages());
        if (result.testSetNote() != null) out.println("note: " + result.testSetNote());
        for (ScoringPipeline.StudentScore s : result.students()) {
            out.printf(Locale.ROOT, "  student %d: %.2f %% clean%n", s.index() + 1, s.cleanAccuracy());
        }
        out.printf(Locale.ROOT, "mean clean accuracy %.2f %% (std %.2f)%n", result.meanCleanAccuracy(),
                result.cleanAccuracyStd());
        result.metrics().forEach((mode, report) -> out.printf(Locale.ROOT, "%s: CREI %s, RRM %s, AEM %s%s%n",
                mode.key(), format(report.crei()), format(report.rr()), format(report.ae()),
                report.notes().isEmpty() ? "" : " (" + String.join("; ", report.notes()) + ")"));
        result.uncertainty().forEach((mode, u) -> out.printf(Locale.ROOT,
                "%s: 95 %% bootstrap interval (%d resamples over students%s): CREI %s, RRM %s, AEM %s%n", mode.key(),
                u.resamples(), u.overImages() ? " and test images" : "", interval(u.crei()), interval(u.rrm()),
                interval(u.aem())));
        for (ModelEvidence student : result.evidence()) {
            for (WorstCase worst : student.worstCase()) {
                out.printf(Locale.ROOT, "%s, %s: worst case over the attacks %.2f %%%n", student.label(),
                        worst.mode().key(), worst.accuracy());
            }
        }
        List<String> flags = result.flagLines();
        if (!result.evidence().isEmpty()) {
            out.println(flags.isEmpty() ? "sanity checks: none raised" : "sanity checks raised:");
            flags.forEach(line -> out.println("  " + line));
        }
        if (!result.curves().isEmpty()) AttackOptions.printCurves(out, result.curves());
        if (plot != null) {
            Files.writeString(plot, CurveChart.ofCurves(String.format(Locale.ROOT, "%s on %s, IPC %d: accuracy versus"
                    + " budget, mean over %d student(s)", method, kind, ipc, students), result.curves()));
            out.println("wrote " + plot);
        }
        if (json != null) writeJson(json, method, kind, ipc, training, result);
        return 0;
    }

    private static DistilledFile.Checked readAndCheck(Path file, Path labels, DistilledFile.Declared declared)
            throws IOException {
        if (labels == null) return DistilledFile.readAndCheck(file, file.toString(), declared);
        Path zip = Files.createTempFile("bristle-mtt-", ".zip");
        try {
            DistilledFile.writeMttZip(file, labels, zip);
            return DistilledFile.readAndCheck(zip, file + " + " + labels, declared);
        } finally {
            Files.deleteIfExists(zip);
        }
    }

    private static void writeJson(Path json, String method, DatasetKind kind, int ipc, TrainingConfig training,
                                  ScoringPipeline.Result result) throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("method", method);
        report.put("dataset", kind.displayName());
        report.put("ipc", ipc);
        report.put("completed", result.completed());
        report.put("meanCleanAccuracy", result.meanCleanAccuracy());
        report.put("cleanAccuracyStd", result.cleanAccuracyStd());
        report.put("students", result.students());
        report.put("testSet", result.testSet());
        report.put("testSetNote", result.testSetNote());
        report.put("testImages", result.testImages());
        report.put("training", training.describe());
        report.put("metrics", result.metrics());
        report.put("uncertainty", result.uncertainty());
        report.put("evidence", result.evidence());
        if (!result.curves().isEmpty()) report.put("curves", result.curves());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
    }

    /** One line per stage and about one per second of progress, on the error stream. */
    private static final class ProgressPrinter implements ScoringPipeline.Listener {
        private final PrintStream err;
        private long lastPrint;

        ProgressPrinter(PrintStream err) {
            this.err = err;
        }

        @Override
        public void stageStarted(ScoringPipeline.Stage stage, int total, String label) {
            err.println(stage.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + label);
        }

        @Override
        public void progress(int done, int total, String label) {
            long now = System.currentTimeMillis();
            if (done == total || now - lastPrint >= 1000) {
                err.printf(Locale.ROOT, "  %d/%d %s%n", done, total, label);
                lastPrint = now;
            }
        }

        @Override
        public boolean cancelled() {
            return false;
        }
    }

    private static String interval(Estimate estimate) {
        return estimate.low() == null ? "undefined" : String.format(Locale.ROOT, "[%.2f, %.2f]", estimate.low(),
                estimate.high());
    }

    private static String format(Double value) {
        return value == null ? "undefined" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static List<String> attackNames(String text) {
        List<String> names = text.equalsIgnoreCase("all") ? AttackLibrary.NAMES
                : java.util.Arrays.stream(text.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
        List<String> problems = AttackPlan.problems(names);
        if (!problems.isEmpty()) throw new CliUsageException("--attacks: " + String.join("; ", problems));
        return names;
    }

    private static List<AttackMode> modes(String text) {
        try {
            return java.util.Arrays.stream(text.split(",")).map(String::trim).map(AttackMode::fromKey).toList();
        } catch (IllegalArgumentException e) {
            throw new CliUsageException("--modes: " + e.getMessage());
        }
    }

    private static AttackProtocol protocol(String text) {
        try {
            return AttackProtocol.fromKey(text);
        } catch (IllegalArgumentException e) {
            throw new CliUsageException("--protocol: " + e.getMessage());
        }
    }

    private static String value(List<String> args, int i, String option) throws CliUsageException {
        if (i >= args.size()) throw new CliUsageException(option + " needs a value");
        return args.get(i);
    }

    private static int positive(String text, String option) throws CliUsageException {
        try {
            int value = Integer.parseInt(text);
            if (value < 1) throw new NumberFormatException();
            return value;
        } catch (NumberFormatException e) {
            throw new CliUsageException(option + " must be a positive whole number, not '" + text + "'");
        }
    }
}
