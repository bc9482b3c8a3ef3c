package dev.bristle.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bristle.ml.SharedData;
import dev.bristle.ml.attack.AttackTarget;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.engine.Djl;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.torch.TorchCheckpoint;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The model pass itself, Bristle against the reference's PyTorch (not a test: it prints, it does not judge): BEARD's
 * BACON student (ConvNet 128x3, instance norm, average pooling) with the CIFAR-10 normalization inside, as the sound
 * protocol attacks it, timed per image for a forward pass and for a forward+backward to the input (the gradient of
 * the summed cross-entropy, weights frozen: one attack step) at several batch sizes, in Bristle's
 * {@link AttackTarget} on DJL and in Debian's PyTorch ({@code python3-torch}, a subprocess running
 * {@code bench/pass_torch.py} on the same state dict), both on two threads, batch size by batch size. Prints a
 * Markdown table with the ratio Bristle/PyTorch of the times and each cell's share of the matrix-multiply rate.
 * Run with {@code ./mvnw -B -q -Pbench -Dbench.main=dev.bristle.bench.PassBenchmark -Dbench.args="1024 7"
 * test-compile exec:exec}; arguments: images per cell (default 1024) and the least repetitions per cell (default 7),
 * each cell's time being the median of its repetitions after three warm-up calls. {@code -Dbench.python} names the
 * interpreter that has torch (default {@code /usr/bin/python3}).
 */
public final class PassBenchmark {

    private static final int[] BATCHES = {1, 4, 16, 64, 256};
    private static final int THREADS = 2;
    private static final int WARMUP = 3;
    private static final String CHECKPOINT = "beard/model-pool/BACON_ConvNet_CIFAR10_50_None_0.6995.pth";

    /** Median seconds of one call, forward and forward+backward, at one batch size. */
    private record Cell(double forward, double forwardBackward) {
    }

    public static void main(String[] args) throws IOException, InterruptedException, URISyntaxException {
        int imagesPerCell = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int minRepetitions = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        // Read by DJL's PyTorch engine when it starts: the two intra-op threads the reference sets (inter-op threads
        // left at their default, as the reference leaves them).
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(THREADS));
        Engine engine = Djl.engine();
        Path checkpoint = SharedData.folder().resolve(CHECKPOINT);
        Map<String, HostTensor> stateDict = TorchCheckpoint.readStateDict(checkpoint);
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

        double matMulRate = ComputeBenchmark.matMulGflops(2048, 10);
        double flopsPerImage;
        String network;
        Map<Integer, Cell> bristle = new LinkedHashMap<>();
        TorchSide torch = new TorchSide();
        try (PixelSpaceModel model = PixelSpaceModel.fromStateDict(stateDict, 32, DatasetKind.CIFAR10.mean(),
                DatasetKind.CIFAR10.std(), Device.cpu())) {
            flopsPerImage = ComputeBenchmark.forwardFlops(model.spec());
            network = model.spec().describe();
            AttackTarget target = AttackTarget.sound(model);
            // Each batch size in Bristle and then at once in PyTorch, so a change of the machine's load between
            // batch sizes touches both sides of a ratio alike.
            for (int batch : BATCHES) {
                bristle.put(batch, measure(target, model, batch, repetitions(batch, imagesPerCell, minRepetitions)));
                torch.add(runTorch(checkpoint, batch, imagesPerCell, minRepetitions, batch == BATCHES[0]));
            }
        }
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

        System.out.printf("%s, BACON weights, CIFAR-10 normalization inside (sound protocol); %.1f MFLOP per image"
                + " forward (convolutions and classifier, multiply-add = 2), forward+backward to the input counted"
                + " as 2x forward (weights frozen: no weight gradients)%n%n", network, flopsPerImage / 1e6);
        System.out.printf("Bristle: DJL %s on %s %s, %d threads; PyTorch: Debian's %s, %s threads; %d cores,"
                        + " load average %.2f before, %.2f after%n", Engine.getDjlVersion(), engine.getEngineName(),
                engine.getVersion(), THREADS, torch.version, torch.threads,
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter);
        System.out.printf("matMul 2048x2048 float32: %.1f GFLOP/s in Bristle (the rate shares are of this),"
                + " %.1f GFLOP/s in PyTorch%n%n", matMulRate, torch.matMulRate);
        System.out.println("| batch | forward Bristle ms/img | forward PyTorch ms/img | Bristle/PyTorch"
                + " | % of matMul Bristle / PyTorch | fwd+bwd Bristle ms/img | fwd+bwd PyTorch ms/img"
                + " | Bristle/PyTorch | % of matMul Bristle / PyTorch |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int batch : BATCHES) {
            Cell ours = bristle.get(batch);
            Cell theirs = torch.cells.get(batch);
            System.out.printf("| %d | %s | %s |%n", batch,
                    row(ours.forward() / batch, theirs.forward() / batch, flopsPerImage, matMulRate),
                    row(ours.forwardBackward() / batch, theirs.forwardBackward() / batch, 2 * flopsPerImage,
                            matMulRate));
        }
        System.out.println();
        System.out.println("Bristle/PyTorch is the ratio of the times: above 1, Bristle is slower.");
    }

    private static String row(double oursSeconds, double theirsSeconds, double flops, double matMulRate) {
        return String.format("%.3f | %.3f | %.2f | %.0f %% / %.0f %%", 1000 * oursSeconds, 1000 * theirsSeconds,
                oursSeconds / theirsSeconds, 100 * flops / oursSeconds / 1e9 / matMulRate,
                100 * flops / theirsSeconds / 1e9 / matMulRate);
    }

    private static int repetitions(int batch, int imagesPerCell, int minRepetitions) {
        return Math.max(minRepetitions, (imagesPerCell + batch - 1) / batch);
    }

    /**
     * One batch size in Bristle: what an attack calls, {@link AttackTarget#logits} and {@link AttackTarget#gradient}
     * on an input already on the device, each call's arrays freed with its manager as the attacks do.
     */
    private static Cell measure(AttackTarget target, PixelSpaceModel model, int batch, int repetitions) {
        Random random = new Random(0);
        float[] pixels = new float[batch * 3 * 32 * 32];
        for (int i = 0; i < pixels.length; i++) pixels[i] = random.nextFloat();
        long[] labels = new long[batch];
        for (int i = 0; i < batch; i++) labels[i] = random.nextInt(10);
        try (NDManager manager = model.newBatchManager()) {
            NDArray inputs = manager.create(pixels, new Shape(batch, 3, 32, 32));
            NDArray oneHot = manager.create(labels).oneHot(target.classes());
            target.beginBatch(batch);
            double forward = medianSeconds(repetitions, () -> {
                try (NDManager call = manager.newSubManager()) {
                    // The pass's intermediate arrays belong to its input's manager: an input of the call's own, as an
                    // attack step's is, frees them with the call instead of piling them up in the batch's.
                    NDArray input = inputs.duplicate();
                    input.attach(call);
                    target.logits(input, null);
                }
            });
            double forwardBackward = medianSeconds(repetitions, () -> {
                try (NDManager call = manager.newSubManager()) {
                    // The attacks' cross-entropy objective (Losses.crossEntropy, package-private there).
                    target.gradient(call, inputs, null,
                            (logits, input) -> logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg());
                }
            });
            return new Cell(forward, forwardBackward);
        }
    }

    private static double medianSeconds(int repetitions, Runnable call) {
        for (int i = 0; i < WARMUP; i++) call.run();
        double[] seconds = new double[repetitions];
        for (int i = 0; i < repetitions; i++) {
            long began = System.nanoTime();
            call.run();
            seconds[i] = (System.nanoTime() - began) / 1e9;
        }
        Arrays.sort(seconds);
        return repetitions % 2 == 1 ? seconds[repetitions / 2]
                : (seconds[repetitions / 2 - 1] + seconds[repetitions / 2]) / 2;
    }

    /** What the PyTorch subprocesses reported. */
    private static final class TorchSide {
        private String version = "?";
        private String threads = "?";
        private double matMulRate = Double.NaN;
        private final Map<Integer, Cell> cells = new LinkedHashMap<>();

        private void add(List<String> lines) {
            for (String line : lines) {
                List<String> fields = List.of(line.trim().split("\\s+"));
                switch (fields.get(0)) {
                    case "matmul" -> matMulRate = Double.parseDouble(fields.get(1));
                    case "version" -> {
                        version = fields.get(1);
                        threads = fields.get(2) + " intra-op, " + fields.get(3) + " inter-op";
                    }
                    case "batch" -> cells.put(Integer.parseInt(fields.get(1)),
                            new Cell(Double.parseDouble(fields.get(2)), Double.parseDouble(fields.get(3))));
                    default -> throw new IllegalStateException("unexpected line from pass_torch.py: " + line);
                }
            }
        }
    }

    /** The lines {@code bench/pass_torch.py} prints for one batch size (and the matrix-multiply rate if asked). */
    private static List<String> runTorch(Path checkpoint, int batch, int imagesPerCell, int minRepetitions,
                                         boolean matMul) throws IOException, InterruptedException, URISyntaxException {
        Path script = Path.of(PassBenchmark.class.getResource("/bench/pass_torch.py").toURI());
        List<String> command = new ArrayList<>(List.of(System.getProperty("bench.python", "/usr/bin/python3"),
                script.toString(), "--model", checkpoint.toString(), "--batches", String.valueOf(batch),
                "--images-per-cell", String.valueOf(imagesPerCell), "--min-repetitions",
                String.valueOf(minRepetitions), "--warmup", String.valueOf(WARMUP), "--threads",
                String.valueOf(THREADS)));
        if (matMul) command.add("--matmul");
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            lines = out.lines().toList();
        }
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException("pass_torch.py exited with " + exit + " at batch " + batch
                    + " (is python3-torch installed?)");
        }
        return lines;
    }
}
