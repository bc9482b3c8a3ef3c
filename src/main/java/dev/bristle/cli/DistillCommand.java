package dev.bristle.cli;

import dev.bristle.ml.data.DataDirectory;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.distill.Distillation;
import dev.bristle.ml.distill.DistillationMethod;
import dev.bristle.ml.distill.DistillationProgress;
import dev.bristle.ml.distill.DistillationSettings;
import dev.bristle.ml.distill.SourceImages;
import dev.bristle.ml.distill.TrainingSources;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./bristle distill}: distills a dataset's real training images into a set of {@code ipc} images per class
 * (random subset, herding or DM) and writes it as an .npz, its provenance inside, that {@code ./bristle score} and
 * the dataset pool accept (stored normalized with the dataset's mean and std).
 */
public final class DistillCommand implements CliCommand {

    @Override
    public String name() {
        return "distill";
    }

    @Override
    public String summary() {
        return "distill a dataset into IPC images per class (random subset, herding, DM) as an .npz";
    }

    @Override
    public String usage() {
        return String.format(Locale.ROOT, """
                usage: bristle distill --method random|herding|dm --dataset NAME --ipc N --out FILE.npz [options]
                  --method M          random (class-balanced random subset), herding (in a ConvNet's feature space)
                                      or dm (distribution matching, Zhao and Bilen)
                  --dataset NAME      Fashion-MNIST, MNIST, CIFAR-10, CIFAR-100 or TinyImageNet
                  --ipc N             images per class
                  --out FILE.npz      where to write the set (images normalized with the dataset's mean/std)
                  --data DIR          data directory with the training split (default $BRISTLE_HOME/data; Debian's
                                      /usr/share/datasets holds Fashion-MNIST); downloaded there when missing
                  --offline           never download: say which files to put where instead
                  --seed S            seed of every random choice (default 0)
                  --iterations I      dm: optimization steps (default %d); herding: embedding epochs (default %d)
                  --lr R              dm: learning rate of the images (default %s x IPC); herding: of the
                                      embedding (default %s)
                  --real-per-class K  dm: real images per class and step (default %d); herding: real images per class
                                      the embedding trains on (default %d)
                  --device D          auto, cpu or gpu (default auto)
                exit status: 0 written, 2 bad arguments or missing data""", DistillationSettings.DM_ITERATIONS,
                DistillationSettings.HERDING_EPOCHS, DistillationSettings.DM_LEARNING_RATE_PER_IPC,
                DistillationSettings.HERDING_LEARNING_RATE, DistillationSettings.DM_REAL_PER_CLASS,
                DistillationSettings.HERDING_REAL_PER_CLASS);
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        String method = null;
        String dataset = null;
        Integer ipc = null;
        Path output = null;
        Path data = Path.of(System.getenv().getOrDefault("BRISTLE_HOME", ".bristle")).resolve("data");
        long seed = 0;
        Integer iterations = null;
        Double learningRate = null;
        Integer realPerClass = null;
        String device = "auto";
        boolean offline = false;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            switch (option) {
                case "--method" -> method = value(args, ++i, option);
                case "--dataset" -> dataset = value(args, ++i, option);
                case "--ipc" -> ipc = positive(value(args, ++i, option), option);
                case "--out" -> output = Path.of(value(args, ++i, option));
                case "--data" -> data = Path.of(value(args, ++i, option));
                case "--seed" -> seed = whole(value(args, ++i, option), option);
                case "--iterations" -> iterations = positive(value(args, ++i, option), option);
                case "--lr" -> learningRate = rate(value(args, ++i, option), option);
                case "--real-per-class" -> realPerClass = positive(value(args, ++i, option), option);
                case "--device" -> device = value(args, ++i, option);
                case "--offline" -> offline = true;
                default -> throw new CliUsageException("unknown option '" + option + "'");
            }
        }
        if (method == null || dataset == null || ipc == null || output == null) {
            throw new CliUsageException("--method, --dataset, --ipc and --out are required");
        }
        if (!output.getFileName().toString().endsWith(".npz")) {
            throw new CliUsageException("--out must name an .npz file, not '" + output + "'");
        }
        DistillationSettings settings;
        try {
            DistillationMethod kind = DistillationMethod.fromKey(method);
            if (kind == DistillationMethod.RANDOM && (iterations != null || learningRate != null
                    || realPerClass != null)) {
                throw new CliUsageException("the random subset optimizes nothing: --iterations, --lr and"
                        + " --real-per-class do not apply");
            }
            settings = DistillationSettings.defaults(kind, ipc, seed).withDevice(device);
            if (iterations != null) settings = settings.withIterations(iterations);
            if (learningRate != null) settings = settings.withLearningRate(learningRate);
            if (realPerClass != null) settings = settings.withRealPerClass(realPerClass);
        } catch (IllegalArgumentException e) {
            throw new CliUsageException(e.getMessage());
        }
        DatasetKind kind;
        try {
            kind = DatasetKind.fromName(dataset);
        } catch (IllegalArgumentException e) {
            throw new CliUsageException(e.getMessage());
        }

        SourceImages source = TrainingSources.load(kind,
                offline ? DataDirectory.offline(data) : DataDirectory.downloading(data));
        err.println("distilling " + settings.method().displayName() + " IPC " + ipc + " of " + kind + " from "
                + source.description());
        Distillation.Distilled distilled = Distillation.run(source, settings, new ProgressPrinter(err));
        distilled.writeNpz(output);
        out.printf(Locale.ROOT, "wrote %s: %s IPC %d of %s, %d images, seed %d, %d iteration(s), %.1f s%n", output,
                settings.method().displayName(), ipc, kind, distilled.set().count(), seed, settings.iterations(),
                distilled.provenance().seconds());
        out.printf(Locale.ROOT, "score it: ./bristle score --file %s --dataset %s --ipc %d --method %s%n", output,
                kind.displayName(), ipc, settings.method().displayName());
        return 0;
    }

    /** About one line a second on the error stream, and the last step. */
    private static final class ProgressPrinter implements DistillationProgress {
        private final PrintStream err;
        private long lastPrint;

        ProgressPrinter(PrintStream err) {
            this.err = err;
        }

        @Override
        public void progress(int done, int total, String label) {
            long now = System.currentTimeMillis();
            if (done == total || now - lastPrint >= 1000) {
                err.printf(Locale.ROOT, "  %d/%d %s%n", done, total, label);
                lastPrint = now;
            }
        }
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) throw new CliUsageException(option + " needs a value");
        return args.get(i);
    }

    private static int positive(String text, String option) {
        try {
            int value = Integer.parseInt(text);
            if (value < 1) throw new NumberFormatException();
            return value;
        } catch (NumberFormatException e) {
            throw new CliUsageException(option + " must be a positive whole number, not '" + text + "'");
        }
    }

    private static long whole(String text, String option) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new CliUsageException(option + " must be a whole number, not '" + text + "'");
        }
    }

    private static double rate(String text, String option) {
        try {
            double value = Double.parseDouble(text);
            if (!(value > 0) || Double.isInfinite(value)) throw new NumberFormatException();
            return value;
        } catch (NumberFormatException e) {
            throw new CliUsageException(option + " must be a positive number, not '" + text + "'");
        }
    }
}
