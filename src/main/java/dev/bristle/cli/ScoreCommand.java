package dev.bristle.cli;

import dev.bristle.charts.CurveChart;
import dev.bristle.files.Digests;
import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.attack.AttackLibrary;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.attack.BudgetSweep;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.NpzWriter;
import dev.bristle.ml.distill.Provenance;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.score.AttackPlan;
import dev.bristle.ml.data.Normalization;
import dev.bristle.ml.score.DistilledFile;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecords;
import dev.bristle.ml.record.RecordAssembler;
import dev.bristle.ml.engine.ComputeDevice;
import dev.bristle.ml.score.MemoryStageStore;
import dev.bristle.ml.score.OfficialSettings;
import dev.bristle.ml.verify.OfficialSeeds;
import dev.bristle.ml.evidence.Estimate;
import dev.bristle.ml.evidence.ModelEvidence;
import dev.bristle.ml.evidence.WorstCase;
import dev.bristle.ml.score.ScoringPipeline;
import dev.bristle.ml.score.TestSets;
import dev.bristle.ml.train.TrainingConfig;
import dev.bristle.ml.train.TrainingRecipe;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ./bristle score}: the scoring pipeline of the web app's jobs, without the web app: checks a distilled set
 * as an upload is checked, trains students on it, measures their clean accuracy and, with {@code --attacks}, their
 * robustness (BEARD's metrics per mode, with their uncertainty and each student's evidence).
 */
@Command(name = "score", mixinStandardHelpOptions = true, description = {"Train students on a distilled set, attack them, compute CREI: the web"
        + " app's scoring pipeline. Trains K students (BEARD's protocol, N + 1 epochs), prints their clean accuracy"
        + " on the test split and, with --attacks, RRM, AEM and CREI per mode with bootstrap intervals, each"
        + " student's worst case over the attacks and the sanity flags."},
        footer = {"", "exit status: 0 scored, 2 bad arguments, an unreadable file or a set that fails the checks"})
public final class ScoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    BristleCli cli;

    @Option(names = "--file", paramLabel = "FILE", required = true, description = {"res_*.pt (DC/DSA/DM), .npz, or"
            + " a zip of MTT's images_best.pt and labels_best.pt"})
    Path file;

    @Option(names = "--labels", paramLabel = "FILE", description = "MTT's labels_best.pt, when --file is its"
            + " images_best.pt")
    Path labels;

    @Option(names = "--dataset", paramLabel = "NAME", required = true, description = "CIFAR-10, CIFAR-100,"
            + " TinyImageNet, MNIST or Fashion-MNIST")
    String dataset;

    @Option(names = "--ipc", paramLabel = "N", required = true, description = "images per class the set holds")
    void ipc(int value) {
        ipc = BristleCli.positive(spec, "--ipc", value);
    }

    private int ipc;

    @Option(names = "--method", paramLabel = "NAME", required = true, description = "the distillation method, for"
            + " the report")
    String method;

    @Option(names = "--normalization", paramLabel = "KIND", defaultValue = "mean-std", description = {"mean-std"
            + " (the dataset's mean/std, default) or pixels ([0, 1])"})
    String normalization;

    @Option(names = "--epochs", paramLabel = "N", description = "BEARD's nominal epochs (default 1000; N + 1 are"
            + " trained, as BEARD does)")
    void epochs(int value) {
        epochs = BristleCli.positive(spec, "--epochs", value);
    }

    private int epochs = 1000;

    @Option(names = "--students", paramLabel = "K", description = "students to train (default 5)")
    void students(int value) {
        students = BristleCli.positive(spec, "--students", value);
    }

    private int students = 5;

    @Option(names = "--limit", paramLabel = "N", description = "evaluate on the first N test images (default: the"
            + " whole test split)")
    void limit(int value) {
        limit = BristleCli.positive(spec, "--limit", value);
    }

    private Integer limit;

    @Option(names = "--recipe", paramLabel = "R", defaultValue = "standard", description = {"standard (default)"
            + " or pgd-at: PGD adversarial training at the dataset's recorded L-inf budget (sound protocol), 10 steps"})
    String recipe;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory holding the test split (default:"
            + " bristle.data-dir, $BRISTLE_HOME/data)")
    Path data;

    @Option(names = "--test-file", paramLabel = "FILE", description = {"read the test images from FILE (CIFAR's binary"
            + " records) instead of --data; a known exact part of the official split (CIFAR-10's"
            + " test_first932.bin) counts as its first images, any other file as a copy"})
    Path testFile;

    @Option(names = "--json", paramLabel = "OUT", description = "also write the result as JSON")
    Path json;

    @Mixin
    AttackOptions attackOptions;

    @Mixin
    RecordOption record;

    @Mixin
    BundleOption bundle;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dataDir = data != null ? data : CliDirectories.ofSystem().dataDir();
        DatasetKind kind;
        try {
            kind = DatasetKind.fromName(dataset);
        } catch (InvalidInputException e) {
            throw new CliUsageException(e.getMessage());
        }
        AttackPlan plan = attackOptions.plan(kind);
        OfficialSeeds seeds = null;
        if (bundle.requested()) {
            seeds = bundle.check(file, labels);
            OfficialSettings official = CliOfficial.ofSystem().of(plan.protocol());
            plan = bundle.plan(plan, kind, official, seeds);
            epochs = bundle.official("--epochs", epochs, official.epochs());
            students = bundle.official("--students", students, official.students());
            limit = bundle.limit(limit, official);
        }
        record.check(plan, kind);
        Path plot = attackOptions.plotFile();
        java.time.Instant began = java.time.Instant.now();
        Normalization stated = switch (normalization) {
            case "mean-std" -> Normalization.meanStd(kind);
            case "pixels" -> Normalization.PIXELS_0_1;
            default -> throw new CliUsageException("--normalization must be mean-std or pixels, not '"
                    + normalization + "'");
        };
        long seed = seeds != null ? seeds.training() : plan.seed();

        DistilledFile.Checked checked = readAndCheck(file, labels, new DistilledFile.Declared(kind, ipc, stated));
        if (!checked.problems().isEmpty()) {
            err.println("bristle score: " + file + " does not hold what was stated:");
            checked.problems().forEach(p -> err.println("  - " + p));
            return 2;
        }
        TestSets.TestSet test = testSet(kind, dataDir);
        if (limit != null) test = test.firstImages(limit);
        TrainingRecipe trainingRecipe;
        try {
            trainingRecipe = TrainingRecipe.of(recipe, kind);
        } catch (InvalidInputException e) {
            throw new CliUsageException("--recipe: " + e.getMessage());
        }
        TrainingConfig training = TrainingConfig.beard(epochs, seed).withStudents(students).withRecipe(trainingRecipe);
        CliProgress progress = cli.progress(err);
        MemoryStageStore store = new MemoryStageStore();
        ScoringPipeline.Result result = new ScoringPipeline().run(
                new ScoringPipeline.Request(method, checked.set(), kind, test, training, plan),
                store, progress.listener());
        progress.finish();

        out.printf(Locale.ROOT, "%s on %s, IPC %d: %d student(s), %d epoch(s) each, %s training, %d test images%n",
                method, kind, ipc, students, training.epochs(), trainingRecipe.describe(), result.testImages());
        if (checked.format() == DistilledFile.Format.NPZ && labels == null) {
            Optional<String> provenance = NpzWriter.provenance(file);
            if (provenance.isPresent()) {
                Provenance p = Provenance.fromJson(provenance.get());
                out.printf(Locale.ROOT, "distilled by Bristle: %s, seed %d, %d iteration(s), from %s%n", p.method(),
                        p.seed(), p.iterations(), p.sourceData());
            }
        }
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
        if (!result.curves().isEmpty()) AttackReport.printCurves(out, result.curves());
        if (plot != null) {
            Files.writeString(plot, CurveChart.ofCurves(String.format(Locale.ROOT, "%s on %s, IPC %d: accuracy versus"
                    + " budget, mean over %d student(s)", method, kind, ipc, students), result.curves()));
            out.println("wrote " + plot);
        }
        if (json != null || record.requested() || bundle.requested()) {
            Provenance provenance = checked.format() == DistilledFile.Format.NPZ && labels == null
                    ? NpzWriter.provenance(file).map(ScoreCommand::provenance).orElse(null) : null;
            EvaluationRecord measured = record(kind, plan, training, trainingRecipe, test, result, store,
                    new EvaluationRecord.SetFile(file.getFileName().toString(), Digests.sha256(file), provenance),
                    began);
            if (json != null) CliRecords.writeJson(json, measured);
            if (record.requested()) record.write(measured, out);
            if (bundle.requested()) bundle.write(measured, file, normalization, store, out);
        }
        return 0;
    }

    private static Provenance provenance(String json) {
        try {
            return Provenance.fromJson(json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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

    /** The run as an evaluation record: every student's seed, per-image results, metrics and provenance. */
    private EvaluationRecord record(DatasetKind kind, AttackPlan plan, TrainingConfig training,
                                    TrainingRecipe trainingRecipe, TestSets.TestSet test, ScoringPipeline.Result result,
                                    MemoryStageStore store, EvaluationRecord.SetFile set, java.time.Instant began)
            throws IOException {
        List<Long> seeds = result.students().stream().map(s -> training.studentSeed(s.index())).toList();
        RecordAssembler.Run run = new RecordAssembler.Run(plan.protocol(), plan.attacks(), plan.modes(), seeds,
                result.students().stream().map(ScoringPipeline.StudentScore::cleanAccuracy).toList(), null,
                store::attackMeasurement, result.metrics(), result.uncertainty(), result.evidence(), result.curves());
        return new EvaluationRecord(EvaluationRecords.SCHEMA, EvaluationRecords.VERSION,
                new EvaluationRecord.Subject(CliRecords.datasetKey(kind), kind.displayName(), ipc, method,
                        trainingRecipe.kind().key(), trainingRecipe.describe(), set, null),
                CliRecords.settings(plan, epochs, students, test, result.testImages(), training.seed()),
                CliRecords.testSet(test, result.testImages()), RecordAssembler.students(run),
                RecordAssembler.metrics(run), RecordAssembler.curves(result.curves()),
                CliRecords.provenance(record.command(), ComputeDevice.select(training.device()), began));
    }

    private TestSets.TestSet testSet(DatasetKind kind, Path dataDir) throws IOException {
        if (testFile == null) return TestSets.load(kind, dataDir);
        if (!Files.isRegularFile(testFile)) throw new CliUsageException("--test-file: no such file: " + testFile);
        return TestSets.fromFile(kind, testFile, Digests.sha256(testFile));
    }

    private static String interval(Estimate estimate) {
        return estimate.low() == null ? "undefined" : String.format(Locale.ROOT, "[%.2f, %.2f]", estimate.low(),
                estimate.high());
    }

    private static String format(Double value) {
        return value == null ? "undefined" : String.format(Locale.ROOT, "%.2f", value);
    }
}
