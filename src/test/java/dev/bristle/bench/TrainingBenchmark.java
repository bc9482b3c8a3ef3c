package dev.bristle.bench;

import dev.bristle.ml.SharedData;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.DistilledReader;
import dev.bristle.ml.engine.Djl;
import dev.bristle.ml.train.DsaAugmentation;
import dev.bristle.ml.train.EpochRecord;
import dev.bristle.ml.train.StudentTrainer;
import dev.bristle.ml.train.TrainingConfig;
import dev.bristle.ml.train.TrainingImages;
import dev.bristle.ml.train.TrainingProgress;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Student-training throughput on this machine (not a test: it prints, it does not judge): images per second and
 * seconds per epoch for DC's real IPC-1 and IPC-10 CIFAR-10 sets and a random IPC-50-sized set, with and without DSA,
 * the host augmentation's own cost, and the full BEARD protocol (1,001 epochs) extrapolated per student.
 *
 * <p>First, students trained together ({@link StudentTrainer#trainTogether}) on DC's IPC-1 and IPC-10 sets: images/s per student count and the share of
 * the matrix-multiply rate measured in the same run.
 *
 * <p>Run with {@code ./mvnw -B -q -Pbench test-compile exec:exec -Dbench.main=dev.bristle.bench.TrainingBenchmark
 * -Dbench.args="../shared 5"}: the shared data folder and the timed epochs per case (after 2 warm-up epochs); a third
 * argument (student counts, e.g. {@code 1,2,5}) runs only the students-together part with those counts.
 */
public final class TrainingBenchmark {

    private static final int WARM_UP_EPOCHS = 2;

    public static void main(String[] args) throws IOException {
        Path shared = args.length > 0 ? Path.of(args[0]) : SharedData.folder();
        int timedEpochs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Djl.engine();
        System.out.printf("%d cores, load average %.1f; BEARD protocol: %d epochs per student%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), TrainingConfig.beard(0).epochs());

        int[] studentCounts = Arrays.stream((args.length > 2 ? args[2] : "1,5").split(","))
                .mapToInt(Integer::parseInt).toArray();
        double matMul = ComputeBenchmark.matMulGflops(2048, 10);
        System.out.printf("matMul 2048x2048 float32: %.1f GFLOP/s%n", matMul);
        for (int ipc : new int[] {1, 10}) {
            for (int students : studentCounts) together("DC IPC " + ipc, dcSet(shared, ipc), students, timedEpochs, matMul);
        }
        if (args.length > 2) return;
        augmentationCost();
        Map<String, TrainingImages> sets = new LinkedHashMap<>();
        sets.put("DC IPC 1", dcSet(shared, 1));
        sets.put("DC IPC 10", dcSet(shared, 10));
        sets.put("random IPC 50", randomSet(50));
        sets.forEach((name, set) -> {
            for (String augmentation : List.of("none", DsaAugmentation.BEARD_STRATEGY)) {
                measure(name, set, augmentation, timedEpochs);
            }
        });
    }

    private static void measure(String name, TrainingImages set, String augmentation, int timedEpochs) {
        int epochs = WARM_UP_EPOCHS + timedEpochs;
        TrainingConfig config = TrainingConfig.beard(0).withEpochs(epochs, epochs).withStudents(1)
                .withAugmentation(augmentation).withDevice("cpu");
        List<EpochRecord> timed = new ArrayList<>();
        TrainingProgress progress = (student, epoch) -> {
            if (epoch.epoch() >= WARM_UP_EPOCHS) timed.add(epoch);
        };
        long cpuBefore = processCpuNanos();
        long wallBefore = System.nanoTime();
        new StudentTrainer(config).train(set, 0, progress, () -> false);
        double cpuShare = (processCpuNanos() - cpuBefore) / (double) (System.nanoTime() - wallBefore);
        double seconds = timed.stream().mapToDouble(EpochRecord::seconds).sum() / timed.size();
        double fullProtocol = seconds * TrainingConfig.beard(0).epochs();
        // Other work on the machine shows as fewer busy cores; the per-core rate says what an idle machine would give.
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("%-14s %-4s (%3d images): %6.3f s/epoch, %6.1f images/s with %.1f of %d cores busy"
                        + " (%.1f images/s per busy core); full protocol %.0f s = %.1f min per student%n", name,
                augmentation.equals("none") ? "none" : "DSA", set.count(), seconds, set.count() / seconds, cpuShare,
                cores, set.count() / seconds / cpuShare, fullProtocol, fullProtocol / 60);
    }

    /**
     * {@code students} students trained together (BEARD's protocol with DSA): images/s over all students, and the
     * training FLOP rate (3x the forward pass) as a share of the matrix-multiply rate measured in the same run.
     */
    private static void together(String name, TrainingImages set, int students, int timedEpochs, double matMul) {
        int epochs = WARM_UP_EPOCHS + timedEpochs;
        TrainingConfig config = TrainingConfig.beard(0).withEpochs(epochs, epochs).withStudents(students)
                .withDevice("cpu");
        long[] timedFrom = new long[1];
        int[] reported = new int[1];
        TrainingProgress progress = (student, epoch) -> {
            // The last student's report of the last warm-up epoch starts the clock.
            if (++reported[0] == WARM_UP_EPOCHS * students) timedFrom[0] = System.nanoTime();
        };
        int[] indices = java.util.stream.IntStream.range(0, students).toArray();
        new StudentTrainer(config).trainTogether(set, indices, progress, () -> false);
        double seconds = (System.nanoTime() - timedFrom[0]) / 1e9 / timedEpochs;
        double imagesPerSecond = (double) students * set.count() / seconds;
        double gflops = imagesPerSecond * 3 * ComputeBenchmark.forwardFlops(
                dev.bristle.ml.nn.ConvNetSpec.beard(set.channels(), set.imageSize(), set.classes())) / 1e9;
        System.out.printf("%-10s %d student(s) together: %6.3f s/epoch, %7.1f images/s = %5.1f GFLOP/s = %3.0f %% of"
                        + " matMul; load average %.1f%n", name, students, seconds, imagesPerSecond, gflops,
                100 * gflops / matMul, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** Host DSA on a 256-image CIFAR batch, per group and for the mixed strategy. */
    private static void augmentationCost() {
        DsaAugmentation dsa = DsaAugmentation.parse(DsaAugmentation.BEARD_STRATEGY);
        DsaAugmentation.Dims dims = new DsaAugmentation.Dims(256, 3, 32, 32);
        float[] batch = randomSet(26).images();
        float[] images = Arrays.copyOf(batch, 256 * 3072);
        SplittableRandom random = new SplittableRandom(1);
        StringBuilder line = new StringBuilder("host DSA, 256 images, ms per batch:");
        for (DsaAugmentation.Group group : DsaAugmentation.Group.values()) {
            for (int i = 0; i < 20; i++) dsa.apply(group, images, dims, random);
            long began = System.nanoTime();
            int repeats = 50;
            for (int i = 0; i < repeats; i++) dsa.apply(group, images, dims, random);
            line.append(String.format(" %s %.2f", group.optionName(), (System.nanoTime() - began) / 1e6 / repeats));
        }
        System.out.println(line);
    }

    private static TrainingImages dcSet(Path shared, int ipc) throws IOException {
        Path file = shared.resolve("data/distilled/DC/res_DC_CIFAR10_ConvNet_" + ipc + "ipc.pt");
        return TrainingImages.from(DistilledReader.readDcResult(file,
                DistilledReader.NormalizationChoice.detect(DatasetKind.CIFAR10)), DatasetKind.CIFAR10);
    }

    /** Normal noise shaped like an IPC-{@code ipc} CIFAR-10 set: no such distilled set is at hand for IPC 50. */
    private static TrainingImages randomSet(int ipc) {
        SplittableRandom random = new SplittableRandom(ipc);
        float[] images = new float[ipc * 10 * 3072];
        for (int i = 0; i < images.length; i++) images[i] = (float) (random.nextDouble(-1, 1) * 1.7);
        int[] labels = new int[ipc * 10];
        for (int i = 0; i < labels.length; i++) labels[i] = i / ipc;
        return new TrainingImages("random, IPC " + ipc, images, labels, 3, 32, 10, DatasetKind.CIFAR10.mean(),
                DatasetKind.CIFAR10.std());
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
