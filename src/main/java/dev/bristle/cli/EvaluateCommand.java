package dev.bristle.cli;

import dev.bristle.files.Digests;
import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.ImageSet;
import dev.bristle.ml.engine.ComputeDevice;
import dev.bristle.ml.eval.CleanEvaluation;
import dev.bristle.ml.eval.CleanEvaluator;
import dev.bristle.ml.nn.ConvNetSpec;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.torch.TorchCheckpoint;

import dev.bristle.ml.score.AttackPlan;
import dev.bristle.ml.evidence.AttackFacts;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecords;
import dev.bristle.ml.record.RecordAssembler;
import dev.bristle.ml.score.TestSets;
import dev.bristle.ml.train.TrainingRecipe;
import dev.bristle.modelpool.BeardCheckpointName;
import dev.bristle.modelpool.ModelPoolManifest;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code bristle evaluate}: clean accuracy of a ConvNet state dict on a CIFAR binary test file, and its attacks. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = {"Clean accuracy, per-class accuracy and per-image correctness of a ConvNet"
        + " (.pth state dict) on a CIFAR binary test file; with --attacks, each attack's accuracy, ASR, seconds and"
        + " passes per image per mode, RRM/AEM/CREI with bootstrap intervals, the worst case over the attacks, the"
        + " per-class accuracy and the sanity flags."},
        footer = {"", "exit status: 0 evaluated, 2 bad arguments or an unreadable file"})
public final class EvaluateCommand implements Callable<Integer> {

    /** CIFAR binary records always hold 32x32 RGB images. */
    private static final int CIFAR_IMAGE_SIZE = 32;

    @Spec
    CommandSpec spec;

    @ParentCommand
    BristleCli cli;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = {"PyTorch state dict (.pth) of a"
            + " BEARD ConvNet; its architecture (channels, classes, width, depth, norm, pooling) is read from the"
            + " weights' shapes"})
    Path modelFile;

    @Option(names = "--data", paramLabel = "FILE", required = true, description = {"CIFAR binary test file"
            + " (test_batch.bin format); CIFAR-10 or CIFAR-100 after the model's class count"})
    Path dataFile;

    @Option(names = "--limit", paramLabel = "N", description = "evaluate only the first N images")
    void limit(int value) {
        limit = BristleCli.positive(spec, "--limit", value);
    }

    private int limit = Integer.MAX_VALUE;

    @Option(names = "--json", paramLabel = "OUT", description = {"also write the result, with per-image"
            + " correctness, predictions and the evidence, to OUT"})
    Path jsonFile;

    @Option(names = "--device", paramLabel = "D", defaultValue = "auto", description = "auto (default), cpu or gpu")
    String deviceSetting;

    @Option(names = "--method", paramLabel = "NAME", description = {"with --record: the method whose set trained"
            + " the student (default: from a BEARD student's file name, METHOD_ARCH_DATASET_IPC_AUG[_ACC].pth)"})
    String method;

    @Option(names = "--dataset", paramLabel = "NAME", description = {"with --record: the dataset the student was"
            + " distilled from, CIFAR-10 or CIFAR-100 (default: from the file name, or the model's class count)"})
    String datasetName;

    @Option(names = "--ipc", paramLabel = "N", description = {"with --record: images per class of the set that"
            + " trained the student (default: from the file name)"})
    void ipc(int value) {
        ipc = BristleCli.positive(spec, "--ipc", value);
    }

    private Integer ipc;

    @Mixin
    AttackOptions attackOptions;

    @Mixin
    RecordOption record;

    @Override
    public Integer call() throws IOException {
        java.time.Instant began = java.time.Instant.now();
        PrintWriter out = spec.commandLine().getOut();
        checkOptions();
        // CIFAR binary test files only: CIFAR-10 and CIFAR-100 share their protocol's recorded budgets.
        AttackPlan plan = attackOptions.plan(DatasetKind.CIFAR10);
        record.check(plan, DatasetKind.CIFAR10);
        Board board = record.requested() ? board() : null;

        LinkedHashMap<String, HostTensor> stateDict = TorchCheckpoint.readStateDict(modelFile);
        ConvNetSpec architecture;
        try {
            architecture = ConvNetSpec.infer(stateDict, CIFAR_IMAGE_SIZE);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(modelFile + ": " + e.getMessage(), e);
        }
        DatasetKind dataset = cifarOf(architecture);
        if (board != null && board.dataset() != null && board.dataset() != dataset) {
            throw new CliUsageException("--record: " + modelFile.getFileName() + " classifies "
                    + architecture.classes() + " classes, not " + board.dataset() + "'s");
        }
        // A record names its test images by what they are (the official split or part of it, or a copy).
        TestSets.TestSet test = TestSets.fromFile(dataset, dataFile, Digests.sha256(dataFile)).firstImages(limit);
        ImageSet data = test.images();

        CleanEvaluation result;
        try (PixelSpaceModel model = PixelSpaceModel.fromStateDict(stateDict, CIFAR_IMAGE_SIZE, dataset.mean(),
                dataset.std(), ComputeDevice.select(deviceSetting))) {
            result = new CleanEvaluator(model).evaluate(data.pixels(), data.labels());
        }

        printClean(out, architecture, dataset, result);
        AttackReport attacks = attackOptions.requested()
                ? attack(out, plan, stateDict, dataset, data, result.size()) : null;
        if (jsonFile != null || board != null) {
            EvaluationRecord measured = record(dataset, board, plan, test, result, attacks, began);
            if (jsonFile != null) {
                CliRecords.writeJson(jsonFile, measured);
                out.println("wrote " + jsonFile);
            }
            if (board != null) record.write(measured, out);
        }
        return 0;
    }

    /** Refuses missing files, a --json folder that does not exist and an unknown --device before any work. */
    private void checkOptions() {
        requireFile("--model", modelFile);
        requireFile("--data", dataFile);
        if (jsonFile != null) {
            Path parent = jsonFile.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new CliUsageException("--json: folder " + parent + " does not exist");
            }
        }
        try {
            ComputeDevice.Setting.parse(deviceSetting);
        } catch (InvalidInputException e) {
            throw new CliUsageException("--device: " + e.getMessage());
        }
    }

    /** The CIFAR set a checkpoint of this architecture classifies (binary test files hold 3-channel CIFAR images). */
    private DatasetKind cifarOf(ConvNetSpec architecture) {
        DatasetKind dataset = switch (architecture.classes()) {
            case 10 -> DatasetKind.CIFAR10;
            case 100 -> DatasetKind.CIFAR100;
            default -> throw new InvalidInputException(modelFile + " classifies " + architecture.classes()
                    + " classes; CIFAR binary files hold CIFAR-10 (10) or CIFAR-100 (100)");
        };
        if (architecture.channels() != 3) {
            throw new InvalidInputException(modelFile + " takes " + architecture.channels()
                    + "-channel images; CIFAR images have 3 channels");
        }
        return dataset;
    }

    private void printClean(PrintWriter out, ConvNetSpec architecture, DatasetKind dataset, CleanEvaluation result) {
        out.printf("model: %s (%s)%n", modelFile, architecture.describe());
        out.printf("data:  %s (%s, %d images)%n", dataFile, dataset, result.size());
        out.printf("accuracy: %.2f %% (%d of %d) in %.1f s%n", result.accuracy(), result.correctCount(),
                result.size(), result.modelSeconds());
        out.println("class  images  accuracy");
        int[] counts = result.classCounts();
        double[] perClass = result.perClassAccuracy();
        for (int c = 0; c < architecture.classes(); c++) {
            out.printf("%5d  %6d  %s%n", c, counts[c], counts[c] == 0 ? "       -" : String.format("%6.2f %%", perClass[c]));
        }
    }

    /** Runs the requested attacks with progress on standard error, prints their table and writes the plot asked for. */
    private AttackReport attack(PrintWriter out, AttackPlan plan, LinkedHashMap<String, HostTensor> stateDict,
                                DatasetKind dataset, ImageSet data, int images) throws IOException {
        CliProgress progress = cli.progress(spec.commandLine().getErr());
        AttackReport attacks = AttackReport.run(plan, stateDict, dataset, ComputeDevice.select(deviceSetting), data,
                modelFile.getFileName().toString(),
                (attack, mode, done, total) -> progress.update(done, total, attack + " " + mode.key()));
        progress.finish();
        attacks.printTable(out);
        Path plot = attackOptions.plotFile();
        if (plot != null) {
            Files.writeString(plot, attacks.chart(modelFile.getFileName() + " on " + dataFile.getFileName()
                    + " (" + images + " images, " + attacks.protocol().key() + " protocol)"));
            out.println("wrote " + plot);
        }
        return attacks;
    }

    /** Which board a recorded checkpoint goes on: the options, else what a BEARD student's file name says. */
    private record Board(DatasetKind dataset, int ipc, String method) {
    }

    private Board board() {
        Optional<BeardCheckpointName> named;
        try {
            named = Optional.of(BeardCheckpointName.parse(modelFile.getFileName().toString()));
        } catch (InvalidInputException e) {
            named = Optional.empty();
        }
        String boardMethod = method != null ? method : named.map(BeardCheckpointName::method).orElse(null);
        Integer boardIpc = ipc != null ? ipc : named.map(BeardCheckpointName::ipc).orElse(null);
        if (boardMethod == null || boardIpc == null) {
            throw new CliUsageException("--record needs --method and --ipc: " + modelFile.getFileName()
                    + " is not named as a BEARD student (METHOD_ARCH_DATASET_IPC_AUG[_ACC].pth)");
        }
        DatasetKind kind;
        try {
            kind = datasetName != null ? DatasetKind.fromName(datasetName)
                    : named.map(n -> n.dataset().kind()).orElse(null);
        } catch (InvalidInputException e) {
            throw new CliUsageException("--dataset: " + e.getMessage());
        }
        if (kind != null && kind != DatasetKind.CIFAR10 && kind != DatasetKind.CIFAR100) {
            throw new CliUsageException("--dataset: CIFAR binary files hold CIFAR-10 or CIFAR-100, not " + kind);
        }
        return new Board(kind, boardIpc, boardMethod);
    }

    /** The checkpoint by file name and SHA-256, and the model pool that publishes it when a manifest lists it. */
    private static EvaluationRecord.Checkpoint checkpoint(Path file) throws IOException {
        String sha256 = Digests.sha256(file);
        String source = ModelPoolManifest.ALL.stream().map(ModelPoolManifest::fromClasspath)
                .filter(m -> m.models().stream().anyMatch(model -> model.sha256().equals(sha256)))
                .map(ModelPoolManifest::provenance).findFirst().orElse(null);
        return new EvaluationRecord.Checkpoint(file.getFileName().toString(), sha256, source);
    }

    private static void requireFile(String option, Path file) {
        if (!Files.isRegularFile(file)) throw new CliUsageException(option + ": no such file " + file);
    }

    /**
     * The evaluation as a record: the checkpoint as the subject (on {@code board}'s method and IPC when recorded),
     * one student (seed 0: trained elsewhere), its clean predictions and, with attacks, every attack's per-image
     * results and the metrics.
     */
    private EvaluationRecord record(DatasetKind dataset, Board board, AttackPlan plan, TestSets.TestSet test,
                                    CleanEvaluation clean, AttackReport attacks, java.time.Instant began)
            throws IOException {
        RecordAssembler.Run run;
        if (attacks == null) {
            run = new RecordAssembler.Run(plan.protocol(), List.of(), List.of(), List.of(0L),
                    List.of(clean.accuracy()), List.of(clean.predictions()), (i, mode, attack) -> Optional.empty(),
                    Map.of(), Map.of(), List.of(), List.of());
        } else {
            run = new RecordAssembler.Run(plan.protocol(), plan.attacks(), plan.modes(), List.of(0L),
                    List.of(clean.accuracy()), List.of(clean.predictions()), (i, mode, attack) ->
                    attack.equals(Measurement.CLEAN) ? Optional.of(attacks.clean().measurement())
                            : attacks.facts().stream().filter(f -> f.mode() == mode
                            && f.measurement().attack().equals(attack)).map(AttackFacts::measurement).findFirst(),
                    attacks.metrics(), attacks.uncertainty(), List.of(attacks.evidence()),
                    attacks.sweep() == null ? List.of() : attacks.sweep().curves());
        }
        DatasetKind named = board != null && board.dataset() != null ? board.dataset() : dataset;
        return new EvaluationRecord(EvaluationRecords.SCHEMA, EvaluationRecords.VERSION,
                new EvaluationRecord.Subject(CliRecords.datasetKey(named), named.displayName(),
                        board == null ? 0 : board.ipc(), board == null ? null : board.method(),
                        TrainingRecipe.Kind.STANDARD.key(), "the published checkpoint's own training, not Bristle's",
                        null, checkpoint(modelFile)),
                CliRecords.settings(attacks == null ? new AttackPlan(List.of(), List.of(), plan.protocol(),
                        plan.budgets(), plan.seed(), null, plan.autoAttack()) : plan, null, 1, test, clean.size(), 0),
                CliRecords.testSet(test, clean.size()), RecordAssembler.students(run), RecordAssembler.metrics(run),
                RecordAssembler.curves(run.curves()),
                CliRecords.provenance(record.command(), ComputeDevice.select(deviceSetting), began));
    }
}
