package dev.bristle.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.bristle.ml.attack.PassRate;
import dev.bristle.ml.data.CifarBinaryReader;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.ImageSet;
import dev.bristle.ml.engine.Djl;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.torch.TorchCheckpoint;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * AutoAttack and Square side by side with the reference (not a test: it prints, it does not judge): each attack on
 * BEARD's BACON student and the first N exact CIFAR-10 test images, untargeted, in Bristle and at once in
 * {@code ../shared/reference/beard_ref.py} (torchattacks 3.5.1 from {@code TORCHATTACKS_DIR} on Debian's PyTorch,
 * wrapped by {@code bench/attack_ref.py} to count the passes and time the seconds inside them), both on two threads,
 * so a change of the machine's load touches both sides alike. Both sides run the protocol's L-inf budget (8/255 in
 * beard, 1/255 of a pixel in sound; {@code attack_ref.py --linf}). Prints a Markdown table: wall time and the speed
 * ratio (reference seconds / Bristle seconds, above 1 Bristle is faster), robust accuracy and the images whose result
 * differs, model passes per image (the scoring pass included), the share of the time outside the passes, passes per
 * second and the mean batch size a pass ran at. On a machine other jobs share, the CPU seconds of each side (the whole
 * process, PyTorch's threads included; the reference's first attack includes loading torch) tell more than the wall
 * time.
 * Run with {@code TORCHATTACKS_DIR=... ./mvnw -B -q -Pbench test-compile exec:exec
 * -Dbench.main=dev.bristle.bench.AttackRaceBenchmark -Dbench.args="50 AutoAttack,Square beard"}; arguments: images
 * (default 50), attacks (default AutoAttack,Square), protocol (beard or sound, default beard) and the batch size
 * (default 256, the reference's). {@code -Dbench.python} names the interpreter that has torch.
 * Bristle runs under the calling shell's glibc malloc settings (export the launcher's {@code MALLOC_*} variables to
 * measure Bristle as it is deployed); the reference runs under glibc's defaults, as BEARD's users run it, unless
 * {@code RACE_SAME_MALLOC=1} hands it the same settings.
 */
public final class AttackRaceBenchmark {

    private static final int THREADS = 2;
    private static final String CHECKPOINT = "beard/model-pool/BACON_ConvNet_CIFAR10_50_None_0.6995.pth";
    private static final String TEST_FILE = "data/cifar-10-partial-official/test_first932.bin";
    private static final Map<String, String> REFERENCE_NAMES = Map.of("AutoAttack", "AA", "Square", "Square");
    /** The glibc malloc settings Bristle's launcher and images export, and the one-variable form of the same. */
    private static final List<String> MALLOC_SETTINGS = List.of("MALLOC_ARENA_MAX", "MALLOC_MMAP_MAX_",
            "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES");

    /** Bands of the batch sizes a pass ran at, for the cost of a pass at each: 1, 2-4, 5-16, 17-64, 65-256, more. */
    private static final int[] BAND_TOPS = {1, 4, 16, 64, 256, Integer.MAX_VALUE};

    /** One side's result of one attack. */
    private record Side(double seconds, double cpuSeconds, double accuracy, String correct, double passesPerImage,
                        double modelSeconds, double meanBatch, Map<Integer, SizeCost> bySize) {
    }

    /** The passes (a forward+backward counts two per row) run by calls of one batch size, and their seconds. */
    private record SizeCost(long passes, double seconds) {
    }

    public static void main(String[] args) throws IOException, InterruptedException, URISyntaxException {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        List<String> attacks = List.of((args.length > 1 ? args[1] : "AutoAttack,Square").split(","));
        AttackProtocol protocol = AttackProtocol.fromKey(args.length > 2 ? args[2] : "beard");
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : AttackSuite.DEFAULT_BATCH_SIZE;
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(THREADS));
        Djl.engine();
        Path shared = SharedData.folder();
        Map<String, HostTensor> stateDict = TorchCheckpoint.readStateDict(shared.resolve(CHECKPOINT));
        ImageSet data = CifarBinaryReader.read(DatasetKind.CIFAR10, shared.resolve(TEST_FILE)).subset(images);
        float[] mean = DatasetKind.CIFAR10.mean();
        float[] std = DatasetKind.CIFAR10.std();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<String> rows = new ArrayList<>();
        AttackBudgets budgets = AttackBudgets.of(protocol);
        try (PixelSpaceModel model = AttackTarget.attackedModel(protocol, stateDict, 32, mean, std, Device.cpu())) {
            AttackTarget target = AttackTarget.of(protocol, model, mean, std);
            AttackSuite suite = new AttackSuite(target, batch, 0, 1, AttackSuite.Progress.NONE);
            CleanRun clean = suite.clean(data.pixels(), data.labels());
            for (String name : attacks) {
                Attack attack = AttackLibrary.create(name, protocol, budgets,
                        AutoAttack.Version.TORCHATTACKS, 10);
                double cpuBefore = processCpuSeconds();
                AttackRun run = suite.run(attack, AttackMode.UNTARGETED, data.pixels(), data.labels(), clean);
                double cpu = processCpuSeconds() - cpuBefore;
                PassRate rate = run.rate();
                Map<Integer, SizeCost> bySize = new TreeMap<>();
                rate.passesBySize().forEach((size, passes) ->
                        bySize.put(size, new SizeCost(passes, rate.modelSecondsBySize().get(size))));
                Side bristle = new Side(run.seconds(), cpu, run.accuracy(), run.correctness(),
                        (double) rate.passes() / images, rate.modelSeconds(), rate.meanBatchSize(), bySize);
                System.out.printf("Bristle   %-10s %8.1f s, accuracy %.2f %%, passes by batch size %s%n", name,
                        run.seconds(), run.accuracy(), rate.passesBySize());
                Side reference = reference(shared, REFERENCE_NAMES.get(name), images, batch, protocol,
                        budgets.linf());
                rows.add(row(name, images, bristle, reference));
                System.out.println(rows.get(rows.size() - 1));
                printBands(name, bristle, reference);
            }
        }
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.printf("%nBACON student, first %d exact CIFAR-10 test images, %s protocol, untargeted, batch %d,"
                + " %d threads each; load average %.1f before, %.1f after; malloc settings: Bristle %s, the reference"
                + " %s%n%n", images, protocol.key(), batch, THREADS, loadBefore, loadAfter, mallocSettings(),
                sameMalloc() ? "the same" : "glibc's defaults");
        System.out.println("| attack | images | Bristle s | reference s | speed | CPU s Bristle / ref | CPU speed"
                + " | accuracy Bristle / ref | differing images | passes/img Bristle / ref | outside passes Bristle / ref"
                + " | passes/s Bristle / ref | mean batch Bristle / ref |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
    }

    private static String row(String name, int images, Side b, Side r) {
        int differing = 0;
        for (int i = 0; i < images; i++) if (b.correct.charAt(i) != r.correct.charAt(i)) differing++;
        return String.format("| %s | %d | %.1f | %.1f | %.2fx | %.1f / %.1f | %.2fx | %.2f %% / %.2f %% | %d | %.0f / %.0f"
                        + " | %.1f %% / %.1f %% | %.0f / %.0f | %.1f / %.1f |", name, images, b.seconds, r.seconds,
                r.seconds / b.seconds, b.cpuSeconds, r.cpuSeconds, r.cpuSeconds / b.cpuSeconds,
                b.accuracy, r.accuracy, differing, b.passesPerImage, r.passesPerImage,
                100 * (b.seconds - b.modelSeconds) / b.seconds, 100 * (r.seconds - r.modelSeconds) / r.seconds,
                b.passesPerImage * images / b.seconds, r.passesPerImage * images / r.seconds, b.meanBatch,
                r.meanBatch);
    }

    /**
     * The cost of a pass inside the attack by batch-size band, each side's passes at that size and the milliseconds
     * one pass over one image took there, so a side that loses shows the sizes it loses at.
     */
    private static void printBands(String name, Side b, Side r) {
        System.out.printf("%n%s, inside the passes by batch size:%n%n", name);
        System.out.println("| batch sizes | passes Bristle / ref | ms per pass Bristle / ref | ratio |");
        System.out.println("|---|---:|---:|---:|");
        int bottom = 1;
        for (int top : BAND_TOPS) {
            SizeCost bristle = band(b.bySize, bottom, top);
            SizeCost reference = band(r.bySize, bottom, top);
            if (bristle.passes > 0 || reference.passes > 0) {
                double bristleMs = 1000 * bristle.seconds / Math.max(1, bristle.passes);
                double referenceMs = 1000 * reference.seconds / Math.max(1, reference.passes);
                System.out.printf("| %s | %d / %d | %.3f / %.3f | %.2f |%n",
                        top == Integer.MAX_VALUE ? ">" + (bottom - 1) : bottom == top ? bottom : bottom + "-" + top,
                        bristle.passes, reference.passes, bristleMs, referenceMs, bristleMs / referenceMs);
            }
            bottom = top + 1;
        }
        System.out.println();
    }

    private static SizeCost band(Map<Integer, SizeCost> bySize, int bottom, int top) {
        long passes = 0;
        double seconds = 0;
        for (Map.Entry<Integer, SizeCost> e : bySize.entrySet()) {
            if (e.getKey() < bottom || e.getKey() > top) continue;
            passes += e.getValue().passes;
            seconds += e.getValue().seconds;
        }
        return new SizeCost(passes, seconds);
    }

    /** Whether the reference runs under Bristle's malloc settings too (like for like) instead of glibc's defaults. */
    private static boolean sameMalloc() {
        return "1".equals(System.getenv("RACE_SAME_MALLOC"));
    }

    /** This process's malloc settings, as NAME=value words. */
    private static String mallocSettings() {
        String set = MALLOC_SETTINGS.stream().filter(name -> System.getenv(name) != null)
                .map(name -> name + "=" + System.getenv(name)).collect(Collectors.joining(" "));
        return set.isEmpty() ? "glibc's defaults" : set;
    }

    /** CPU time of this process, all its threads (PyTorch's native ones too), from /proc/self/stat. */
    private static double processCpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // utime and stime, fields 14 and 15 of the line (11 and 12 after the name), in clock ticks of 1/100 s.
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    private static Side reference(Path shared, String attack, int images, int batch, AttackProtocol protocol,
                                  double linf) throws IOException, InterruptedException, URISyntaxException {
        Path script = Path.of(AttackRaceBenchmark.class.getResource("/bench/attack_ref.py").toURI());
        Path out = Files.createTempFile("attack-ref", ".json");
        List<String> command = List.of(System.getProperty("bench.python", "/usr/bin/python3"), script.toString(),
                "--ref", shared.resolve("reference/beard_ref.py").toString(), "--linf", String.valueOf(linf),
                "--model", shared.resolve(CHECKPOINT).toString(), "--data", shared.resolve(TEST_FILE).toString(),
                "--n", String.valueOf(images), "--batch", String.valueOf(batch), "--attacks", attack,
                "--modes", "untargeted", "--protocol", protocol.key(), "--threads", String.valueOf(THREADS),
                "--out", out.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (!sameMalloc()) builder.environment().keySet().removeIf(MALLOC_SETTINGS::contains);
        Process process = builder.start();
        String[] passes = null;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("PASSES ")) passes = line.split(" ");
            }
        }
        if (process.waitFor() != 0 || passes == null) {
            throw new IllegalStateException("the reference failed (is TORCHATTACKS_DIR set and python3-torch"
                    + " installed?)");
        }
        JsonNode result = new ObjectMapper().readTree(out.toFile()).get("results").get(0);
        Files.delete(out);
        long forward = Long.parseLong(passes[3]);
        long backward = Long.parseLong(passes[4]);
        double modelSeconds = Double.parseDouble(passes[5]);
        Map<Integer, Long> sizes = new TreeMap<>();
        Map<Integer, SizeCost> bySize = new TreeMap<>();
        for (String entry : passes[6].split(",")) {
            String[] parts = entry.split(":");
            int size = Integer.parseInt(parts[0]);
            long forwardRows = Long.parseLong(parts[1]);
            if (forwardRows > 0) sizes.put(size, forwardRows);
            bySize.put(size, new SizeCost(forwardRows + Long.parseLong(parts[2]), Double.parseDouble(parts[3])));
        }
        long weighted = 0;
        for (Map.Entry<Integer, Long> e : sizes.entrySet()) weighted += (long) e.getKey() * e.getValue();
        System.out.printf("reference %-10s %8.1f s, accuracy %.2f %%, forward rows by batch size %s%n", attack,
                result.get("seconds").asDouble(), result.get("accuracy").asDouble(), sizes);
        return new Side(result.get("seconds").asDouble(), Double.parseDouble(passes[7]), result.get("accuracy").asDouble(),
                result.get("correct").asText(), (double) (forward + backward) / images, modelSeconds,
                (double) weighted / forward, bySize);
    }
}
