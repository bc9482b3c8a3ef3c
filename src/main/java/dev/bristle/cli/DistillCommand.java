package dev.bristle.cli;

import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.data.DataDirectory;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.distill.Distillation;
import dev.bristle.ml.distill.DistillationMethod;
import dev.bristle.ml.distill.DistillationProgress;
import dev.bristle.ml.distill.DistillationSettings;
import dev.bristle.ml.distill.SourceImages;
import dev.bristle.ml.distill.TrainingSources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./bristle distill}: distills a dataset's real training images into a set of {@code ipc} images per class
 * (random subset, herding or DM) and writes it as an .npz, its provenance inside, that {@code ./bristle score} and
 * the dataset pool accept (stored normalized with the dataset's mean and std).
 */
@Command(name = "distill", mixinStandardHelpOptions = true, description = {"Distill a dataset's training images into"
        + " IPC images per class (random subset, herding, DM) and write them as an .npz (normalized with the"
        + " dataset's mean/std, provenance inside) that score and the dataset pool accept."},
        footer = {"", "exit status: 0 written, 2 bad arguments or missing data"})
public final class DistillCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    BristleCli cli;

    @Option(names = "--method", paramLabel = "M", required = true, description = {"random (class-balanced random"
            + " subset), herding (in a ConvNet's feature space) or dm (distribution matching, Zhao and Bilen)"})
    String method;

    @Option(names = "--dataset", paramLabel = "NAME", required = true, description = "Fashion-MNIST, MNIST,"
            + " CIFAR-10, CIFAR-100 or TinyImageNet")
    String dataset;

    private int ipc;

    @Option(names = "--ipc", paramLabel = "N", required = true, description = "images per class")
    void ipc(int value) {
        ipc = BristleCli.positive(spec, "--ipc", value);
    }

    @Option(names = "--out", paramLabel = "FILE.npz", required = true, description = "where to write the set")
    Path output;

    @Option(names = "--data", paramLabel = "DIR", description = {"data directory with the training split (default:"
            + " bristle.data-dir, $BRISTLE_HOME/data; Debian's /usr/share/datasets holds Fashion-MNIST); downloaded"
            + " there when missing"})
    Path data;

    @Option(names = "--offline", description = "never download: say which files to put where instead")
    boolean offline;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "seed of every random choice"
            + " (default 0)")
    long seed;

    private Integer iterations;

    @Option(names = "--iterations", paramLabel = "I", description = {"dm: optimization steps (default "
            + DistillationSettings.DM_ITERATIONS + "); herding: epochs of the embedding network (default "
            + DistillationSettings.HERDING_EPOCHS + ")"})
    void iterations(int value) {
        iterations = BristleCli.positive(spec, "--iterations", value);
    }

    private Double learningRate;

    @Option(names = "--lr", paramLabel = "R", description = {"dm: learning rate of the images (default "
            + DistillationSettings.DM_LEARNING_RATE_PER_IPC + " x IPC); herding: of the embedding network (default "
            + DistillationSettings.HERDING_LEARNING_RATE + ")"})
    void learningRate(double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new ParameterException(spec.commandLine(), "--lr must be a positive number, not '" + value + "'");
        }
        learningRate = value;
    }

    private Integer realPerClass;

    @Option(names = "--real-per-class", paramLabel = "K", description = {"dm: real images per class and step"
            + " (default " + DistillationSettings.DM_REAL_PER_CLASS + "); herding: real images per class the"
            + " embedding trains on (default " + DistillationSettings.HERDING_REAL_PER_CLASS + ")"})
    void realPerClass(int value) {
        realPerClass = BristleCli.positive(spec, "--real-per-class", value);
    }

    @Option(names = "--device", paramLabel = "D", defaultValue = "auto", description = "auto, cpu or gpu (default"
            + " auto)")
    String device;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!output.getFileName().toString().endsWith(".npz")) {
            throw new CliUsageException("--out must name an .npz file, not '" + output + "'");
        }
        DistillationSettings settings;
        DatasetKind kind;
        try {
            DistillationMethod distiller = DistillationMethod.fromKey(method);
            if (distiller == DistillationMethod.RANDOM && (iterations != null || learningRate != null
                    || realPerClass != null)) {
                throw new CliUsageException("the random subset optimizes nothing: --iterations, --lr and"
                        + " --real-per-class do not apply");
            }
            settings = DistillationSettings.of(distiller, ipc, seed, iterations, learningRate, realPerClass)
                    .withDevice(device);
            kind = DatasetKind.fromName(dataset);
        } catch (InvalidInputException e) {
            throw new CliUsageException(e.getMessage());
        }

        Path dataDir = data != null ? data : CliDirectories.ofSystem().dataDir();
        SourceImages source = TrainingSources.load(kind,
                offline ? DataDirectory.offline(dataDir) : DataDirectory.downloading(dataDir));
        CliProgress progress = cli.progress(err);
        progress.stage("distilling " + settings.method().displayName() + " IPC " + ipc + " of " + kind + " from "
                + source.description());
        Distillation.Distilled distilled = Distillation.run(source, settings, (DistillationProgress) progress::update);
        progress.finish();
        distilled.writeNpz(output);
        out.printf(Locale.ROOT, "wrote %s: %s IPC %d of %s, %d images, seed %d, %d iteration(s), %.1f s%n", output,
                settings.method().displayName(), ipc, kind, distilled.set().count(), seed, settings.iterations(),
                distilled.provenance().seconds());
        out.printf(Locale.ROOT, "score it: ./bristle score --file %s --dataset %s --ipc %d --method %s%n", output,
                kind.displayName(), ipc, settings.method().displayName());
        return 0;
    }
}
