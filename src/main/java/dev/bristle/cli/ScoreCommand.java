package dev.bristle.cli;

import dev.bristle.charts.CurveChart;
import dev.bristle.files.Digests;
import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.NpzWriter;
import dev.bristle.ml.distill.Provenance;
import dev.bristle.ml.score.AttackPlan;
import dev.bristle.ml.data.Normalization;
import dev.bristle.ml.score.DistilledFile;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.score.MemoryStageStore;
import dev.bristle.ml.score.OfficialSettings;
import dev.bristle.ml.verify.OfficialSeeds;
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
import java.time.Instant;
import java.util.Locale;
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
        DatasetKind kind = kind();
        AttackPlan plan = attackOptions.plan(kind);
        OfficialSeeds seeds = null;
        if (bundle.requested()) {
            seeds = bundle.check(file, labels);
            plan = officialPlan(plan, kind, seeds);
        }
        record.check(plan, kind);
        Path plot = attackOptions.plotFile();
        Instant began = Instant.now();
        Normalization stated = normalization(kind);
        long seed = seeds != null ? seeds.training() : plan.seed();
        DistilledFile.Checked checked = readAndCheck(file, labels, new DistilledFile.Declared(kind, ipc, stated));
        if (!checked.problems().isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("bristle score: " + file + " does not hold what was stated:");
            checked.problems().forEach(p -> err.println("  - " + p));
            return 2;
        }
        TestSets.TestSet test = testSet(kind, data != null ? data : CliDirectories.ofSystem().dataDir());
        if (limit != null) test = test.firstImages(limit);
        TrainingConfig training = TrainingConfig.beard(epochs, seed).withStudents(students)
                .withRecipe(trainingRecipe(kind));
        ScoreRun run = run(checked, kind, plan, training, test);
        PrintWriter out = spec.commandLine().getOut();
        run.print(out);
        if (plot != null) {
            Files.writeString(plot, CurveChart.ofCurves(String.format(Locale.ROOT, "%s on %s, IPC %d: accuracy versus"
                    + " budget, mean over %d student(s)", method, kind, ipc, students), run.result().curves()));
            out.println("wrote " + plot);
        }
        if (json != null || record.requested() || bundle.requested()) write(run, began, out);
        return 0;
    }

    private DatasetKind kind() {
        try {
            return DatasetKind.fromName(dataset);
        } catch (InvalidInputException e) {
            throw new CliUsageException(e.getMessage());
        }
    }

    /** A bundle's run is an official one: its plan, epochs, students and test images are the protocol's. */
    private AttackPlan officialPlan(AttackPlan plan, DatasetKind kind, OfficialSeeds seeds) {
        OfficialSettings official = CliOfficial.ofSystem().of(plan.protocol());
        AttackPlan officialPlan = bundle.plan(plan, kind, official, seeds);
        epochs = bundle.official("--epochs", epochs, official.epochs());
        students = bundle.official("--students", students, official.students());
        limit = bundle.limit(limit, official);
        return officialPlan;
    }

    private Normalization normalization(DatasetKind kind) {
        return switch (normalization) {
            case "mean-std" -> Normalization.meanStd(kind);
            case "pixels" -> Normalization.PIXELS_0_1;
            default -> throw new CliUsageException("--normalization must be mean-std or pixels, not '"
                    + normalization + "'");
        };
    }

    private TrainingRecipe trainingRecipe(DatasetKind kind) {
        try {
            return TrainingRecipe.of(recipe, kind);
        } catch (InvalidInputException e) {
            throw new CliUsageException("--recipe: " + e.getMessage());
        }
    }

    /** Trains, evaluates and attacks with the scoring pipeline, its progress on standard error. */
    private ScoreRun run(DistilledFile.Checked checked, DatasetKind kind, AttackPlan plan, TrainingConfig training,
                         TestSets.TestSet test) throws IOException {
        CliProgress progress = cli.progress(spec.commandLine().getErr());
        MemoryStageStore store = new MemoryStageStore();
        ScoringPipeline.Result result = new ScoringPipeline().run(
                new ScoringPipeline.Request(method, checked.set(), kind, test, training, plan),
                store, progress.listener());
        progress.finish();
        return new ScoreRun(method, kind, ipc, epochs, plan, training, test, result, store, bristleProvenance(checked));
    }

    /** How Bristle distilled the set, when it is a Bristle {@code .npz} that says so (MTT's pair never does). */
    private Provenance bristleProvenance(DistilledFile.Checked checked) throws IOException {
        if (checked.format() != DistilledFile.Format.NPZ || labels != null) return null;
        Optional<String> provenance = NpzWriter.provenance(file);
        return provenance.isPresent() ? Provenance.fromJson(provenance.get()) : null;
    }

    /** The run's evaluation record, as --json, --record and --bundle ask. */
    private void write(ScoreRun run, Instant began, PrintWriter out) throws IOException {
        EvaluationRecord measured = run.record(new EvaluationRecord.SetFile(file.getFileName().toString(),
                Digests.sha256(file), run.provenance()), record.command(), began);
        if (json != null) CliRecords.writeJson(json, measured);
        if (record.requested()) record.write(measured, out);
        if (bundle.requested()) bundle.write(measured, file, normalization, run.store(), out);
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

    private TestSets.TestSet testSet(DatasetKind kind, Path dataDir) throws IOException {
        if (testFile == null) return TestSets.load(kind, dataDir);
        if (!Files.isRegularFile(testFile)) throw new CliUsageException("--test-file: no such file: " + testFile);
        return TestSets.fromFile(kind, testFile, Digests.sha256(testFile));
    }
}
