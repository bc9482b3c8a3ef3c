package dev.bristle.bench;

import ai.djl.Device;
import dev.bristle.ml.SharedData;
import dev.bristle.ml.attack.Attack;
import dev.bristle.ml.attack.AttackBudgets;
import dev.bristle.ml.attack.AttackLibrary;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.attack.AttackRun;
import dev.bristle.ml.attack.AttackSuite;
import dev.bristle.ml.attack.AttackTarget;
import dev.bristle.ml.attack.AutoAttack;
import dev.bristle.ml.attack.CleanRun;
import dev.bristle.ml.data.CifarBinaryReader;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.ImageSet;
import dev.bristle.ml.engine.Djl;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.torch.TorchCheckpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Throughput and memory of the attack library on BEARD's BACON student (not a test: it prints, it does not judge):
 * images/s and forward/backward passes per image of every attack (sound protocol at its recorded budgets, untargeted),
 * milliseconds per forward+backward pass and image (per forward pass for the black-box attacks), the share of its time
 * spent outside the model's passes, then resident memory after one and after two runs of the whole library.
 * Run with {@code ./mvnw -B -q -Pbench -Dbench.main=dev.bristle.bench.AttackBenchmark -Dbench.args="32 FGSM,PGD"
 * test-compile exec:exec}; arguments: images (default 32) and the attacks (default all).
 */
public final class AttackBenchmark {


    public static void main(String[] args) throws IOException {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        List<String> names = args.length > 1 && args[1].matches(".*[A-Za-z].*") ? List.of(args[1].split(","))
                : AttackLibrary.NAMES;
        Path shared = SharedData.folder();
        Djl.engine();
        Map<String, HostTensor> stateDict = TorchCheckpoint.readStateDict(
                shared.resolve("beard/model-pool/BACON_ConvNet_CIFAR10_50_None_0.6995.pth"));
        ImageSet data = CifarBinaryReader.read(DatasetKind.CIFAR10,
                shared.resolve("data/cifar-10-partial-official/test_first932.bin")).subset(images);
        float[] pixels = data.pixels();
        int[] labels = data.labels();
        System.out.printf("BACON student, %d exact CIFAR-10 test images, sound protocol, untargeted, %d cores,"
                        + " load average %.1f%n", images, Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try (PixelSpaceModel model = PixelSpaceModel.fromStateDict(stateDict, 32, DatasetKind.CIFAR10.mean(),
                DatasetKind.CIFAR10.std(), Device.cpu())) {
            AttackTarget target = AttackTarget.sound(model);
            AttackSuite suite = new AttackSuite(target, AttackSuite.DEFAULT_BATCH_SIZE, 0, 1, AttackSuite.Progress.NONE);
            long before = ResidentMemory.kilobytes();
            CleanRun clean = suite.clean(pixels, labels);
            System.out.printf("%-12s %10s %9s %9s %9s %9s %12s %9s%n", "attack", "images/s", "fwd/img", "bwd/img",
                    "accuracy", "seconds", "ms/pass/img", "outside");
            System.out.printf("%-12s %10.1f %9s %9s %8.2f%% %9.1f%n", "Clean", images / clean.seconds(), "1", "0",
                    clean.accuracy(), clean.seconds());
            runLibrary(suite, names, pixels, labels, clean, true);
            long afterOne = ResidentMemory.kilobytes();
            runLibrary(suite, names, pixels, labels, clean, false);
            long afterTwo = ResidentMemory.kilobytes();
            System.out.printf("RSS before: %d MB, after one run of the library: %d MB, after two: %d MB"
                            + " (ratio two/one %.3f)%n", before / 1024, afterOne / 1024, afterTwo / 1024,
                    (double) afterTwo / afterOne);
        }
    }

    private static void runLibrary(AttackSuite suite, List<String> names, float[] pixels, int[] labels, CleanRun clean,
                                   boolean print) {
        for (String name : names) {
            Attack attack = AttackLibrary.create(name, AttackProtocol.SOUND, AttackBudgets.SOUND,
                    AutoAttack.Version.TORCHATTACKS, 10);
            double modelBefore = suite.target().modelSeconds();
            AttackRun run = suite.run(attack, AttackMode.UNTARGETED, pixels, labels, clean);
            double model = suite.target().modelSeconds() - modelBefore;
            if (print) {
                // Per forward+backward pass and image (forward passes where the attack takes no gradient), and the
                // share of the time spent outside the model's passes (the attack's own arithmetic and bookkeeping).
                double passes = Math.max(run.backwardPassesPerSample(), run.forwardPassesPerSample());
                System.out.printf("%-12s %10.1f %9.1f %9.1f %8.2f%% %9.1f %12.3f %8.1f%%%n", name,
                        labels.length / run.seconds(), run.forwardPassesPerSample(), run.backwardPassesPerSample(),
                        run.accuracy(), run.seconds(), 1000 * run.seconds() / (labels.length * passes),
                        100 * (run.seconds() - model) / run.seconds());
            }
        }
    }
}
