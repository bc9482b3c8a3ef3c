package dev.bristle.bench;

import ai.djl.Device;
import dev.bristle.ml.SharedData;
import dev.bristle.ml.attack.Attack;
import dev.bristle.ml.attack.AttackLibrary;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.attack.AttackRun;
import dev.bristle.ml.attack.AttackSuite;
import dev.bristle.ml.attack.CleanRun;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.Normalization;
import dev.bristle.ml.engine.ComputeDevice;
import dev.bristle.ml.engine.Djl;
import dev.bristle.ml.eval.CleanEvaluation;
import dev.bristle.ml.eval.CleanEvaluator;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.nn.ConvNetSpec;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.score.AttackPlan;
import dev.bristle.ml.score.DistilledFile;
import dev.bristle.ml.score.TestSets;
import dev.bristle.ml.train.StudentTrainer;
import dev.bristle.ml.train.TrainedStudent;
import dev.bristle.ml.train.TrainingConfig;
import dev.bristle.ml.train.TrainingImages;
import dev.bristle.ml.train.TrainingProgress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Wall time of a default scoring job's stages on this machine (not a test: it prints, it does not judge), for DC's
 * real CIFAR-10 IPC-1 and IPC-10 sets: one student trained under BEARD's protocol (SGD, DSA, the learning-rate step),
 * its clean evaluation, and every attack of the default job (all nine, BEARD's protocol, both modes), each in images/s
 * and as a share of the matrix-multiply rate measured in the same run (FLOPs counted as {@link ComputeBenchmark}
 * does: a forward pass, twice as much per backward pass). Then the default job (five students, 1,001 epochs, the
 * whole 10,000-image test split) extrapolated from the measured rates.
 *
 * <p>Run with {@code ./mvnw -B -q -Pbench test-compile exec:exec -Dbench.main=dev.bristle.bench.PipelineBenchmark
 * -Dbench.args="EPOCHS TEST_IMAGES [ATTACKS]"}: BEARD's nominal epochs (default 1000; the student trains one more)
 * and test images (default 10000, the whole split) for a short run, and a comma-separated subset of the attacks.
 */
public final class PipelineBenchmark {

    private static final int DEFAULT_JOB_STUDENTS = 5;
    private static final int FULL_TEST_SPLIT = 10_000;
    private static final DatasetKind CIFAR10 = DatasetKind.CIFAR10;

    private final double matMulFlops;
    private final double forwardFlops;

    private PipelineBenchmark(double matMulFlops, double forwardFlops) {
        this.matMulFlops = matMulFlops;
        this.forwardFlops = forwardFlops;
    }

    public static void main(String[] args) throws IOException {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int testImages = args.length > 1 ? Integer.parseInt(args[1]) : FULL_TEST_SPLIT;
        List<String> attacks = args.length > 2 ? List.of(args[2].split(",")) : AttackLibrary.NAMES;
        Path shared = SharedData.folder();

        Djl.engine();
        Device device = ComputeDevice.select("auto");
        double matMul = ComputeBenchmark.matMulGflops(2048, 10) * 1e9;
        ConvNetSpec spec = ConvNetSpec.beard(3, 32, 10);
        double forward = ComputeBenchmark.forwardFlops(spec);
        TestSets.TestSet test = TestSets.load(CIFAR10, shared.resolve("data")).firstImages(testImages);
        System.out.printf("%d cores, %s; matMul 2048x2048 float32: %.1f GFLOP/s; %s: %.1f MFLOP per image forward%n",
                Runtime.getRuntime().availableProcessors(), device, matMul / 1e9, spec.describe(), forward / 1e6);
        System.out.printf("test set: %s%s%n", test.description(), test.note() == null ? "" : " (" + test.note() + ")");

        PipelineBenchmark bench = new PipelineBenchmark(matMul, forward);
        for (int ipc : List.of(1, 10)) {
            Path file = SharedData.dcCifar10(ipc);
            TrainingImages set = TrainingImages.from(DistilledFile.read(file, DistilledFile.Format.RES_PT,
                    Normalization.meanStd(CIFAR10)), CIFAR10);
            bench.run(ipc, set, epochs, test, AttackPlan.of(attacks, List.of(AttackMode.values()),
                    AttackProtocol.BEARD, 0), device);
        }
    }

    private void run(int ipc, TrainingImages set, int epochs, TestSets.TestSet test, AttackPlan plan, Device device) {
        TrainingConfig config = TrainingConfig.beard(epochs, 0).withStudents(1);
        System.out.printf("%nDC CIFAR-10 IPC %d (%d images): one student, %d epochs, %d test images%n", ipc,
                set.count(), config.epochs(), test.images().count());
        System.out.printf("%-24s %10s %10s %9s %9s %9s%n", "stage", "seconds", "images/s", "GFLOP/s", "of matMul",
                "accuracy");

        long began = System.nanoTime();
        TrainedStudent student = new StudentTrainer(config).train(set, 0, TrainingProgress.SILENT, () -> false);
        double trainingSeconds = (System.nanoTime() - began) / 1e9;
        // An image per epoch costs a forward and a backward pass.
        double trainingImages = (double) set.count() * config.epochs();
        row("training (DSA, SGD)", trainingSeconds, trainingImages, trainingImages * 3 * forwardFlops, Double.NaN);

        float[] pixels = test.images().pixels();
        int[] labels = test.images().labels();
        double cleanSeconds;
        try (PixelSpaceModel model = student.toPixelSpaceModel(device)) {
            began = System.nanoTime();
            CleanEvaluation clean = new CleanEvaluator(model).evaluate(pixels, labels);
            cleanSeconds = (System.nanoTime() - began) / 1e9;
            row("clean evaluation", cleanSeconds, labels.length, labels.length * forwardFlops, clean.accuracy());
        }

        double attackSeconds;
        try (PixelSpaceModel model = plan.attackedModel(student.stateDict(), CIFAR10, device)) {
            AttackSuite suite = new AttackSuite(plan.target(model, CIFAR10), AttackSuite.DEFAULT_BATCH_SIZE,
                    plan.seed(), 1, AttackSuite.Progress.NONE);
            began = System.nanoTime();
            CleanRun cleanRun = suite.clean(pixels, labels);
            attackSeconds = (System.nanoTime() - began) / 1e9;
            for (Attack attack : plan.build(CIFAR10.classCount())) {
                for (AttackMode mode : plan.modes()) {
                    if (!plan.runs(attack, mode)) continue;
                    began = System.nanoTime();
                    AttackRun run = suite.run(attack, mode, pixels, labels, cleanRun);
                    double seconds = (System.nanoTime() - began) / 1e9;
                    attackSeconds += seconds;
                    // The attack's own passes, and the final scoring pass.
                    double passes = run.forwardPassesPerSample() + 1 + 2 * run.backwardPassesPerSample();
                    row(attack.name() + " " + mode.key() + (run.executed() ? "" : " (clean)"), seconds,
                            labels.length, labels.length * passes * forwardFlops, run.accuracy());
                }
            }
        }
        row("attack stage (+ clean pass)", attackSeconds, labels.length, Double.NaN, Double.NaN);

        // The default job: five such students, BEARD's 1,001 epochs, the whole test split, at the rates just measured.
        double perStudent = trainingSeconds / config.epochs() * TrainingConfig.beard(0).epochs()
                + (cleanSeconds + attackSeconds) / labels.length * FULL_TEST_SPLIT;
        System.out.printf("default job (%d students, %d epochs, %d test images, these attacks): about %.1f h"
                        + " (%.1f h per student; attack times depend on the student: a weak one falls sooner)%n",
                DEFAULT_JOB_STUDENTS, TrainingConfig.beard(0).epochs(), FULL_TEST_SPLIT,
                DEFAULT_JOB_STUDENTS * perStudent / 3600, perStudent / 3600);
    }

    private void row(String stage, double seconds, double images, double flops, double accuracy) {
        double flopRate = flops / seconds;
        System.out.printf("%-24s %10.2f %10.1f %9s %9s %9s%n", stage, seconds, images / seconds,
                Double.isNaN(flops) ? "" : String.format("%.2f", flopRate / 1e9),
                Double.isNaN(flops) ? "" : String.format("%.2f %%", 100 * flopRate / matMulFlops),
                Double.isNaN(accuracy) ? "" : String.format("%.2f %%", accuracy));
    }
}
