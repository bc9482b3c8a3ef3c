package dev.bristle.cli;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bristle.ml.SharedData;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecord.AttackOutcome;
import dev.bristle.ml.record.EvaluationRecord.StudentOutcome;
import dev.bristle.ml.score.TestSets;
import dev.bristle.ml.verify.Bundle;
import dev.bristle.ml.verify.BundleReader;
import dev.bristle.ml.verify.BundleTampering;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What verification costs and how often it errs (not a test: it prints, it does not judge). On Fashion-MNIST, Bristle's
 * own DM set at IPC 10 (20 iterations) scored at scaled-down official settings twice, on 2 and on 1 intra-op threads: the two honest
 * runs calibrate the bounds (clean agreement, the rate at which an image robust in one run is fooled in the other,
 * the clean accuracy difference of the same student); then each check's time against the run that made the bundle;
 * then over DRAWS secret draws the sampled attacks on both honest bundles (false rejects) and on the first with robust
 * accuracy inflated by 10 points (false accepts). With CIFAR, DC's CIFAR-10 IPC-10 set at the same settings for the
 * cost alone (its test split is the JPEG-decoded copy, so the bundle is never official and integrity fails).
 *
 * <p>Run with {@code ./mvnw -B -q -Pbench test-compile exec:exec -Dbench.main=dev.bristle.cli.VerificationBenchmark
 * -Dbench.args="DRAWS STUDENTS EPOCHS IMAGES ATTACKS [cifar]"}, e.g. {@code "20 2 50 1000 FGSM,PGD,PGD_L2 cifar"}.
 */
public final class VerificationBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final String data;

    private VerificationBenchmark(Path dir, String data) {
        this.dir = dir;
        this.data = data;
    }

    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("draws")) {
            // draws N SAMPLE STUDENTS_DRAWN HONEST.zip INFLATED.zip SCALE...: the draws alone, on bundles made before.
            Map.of("bristle.official.students", args[6], "bristle.official.epochs", args[7],
                    "bristle.official.test-images", args[8], "bristle.official.attacks", args[9],
                    "bristle.official.modes", "untargeted").forEach(System::setProperty);
            VerificationBenchmark bench = new VerificationBenchmark(Files.createTempDirectory("bristle-draws-"),
                    SharedData.datasets().toString());
            bench.draws(Integer.parseInt(args[1]), args[2], args[3], Path.of(args[4]), Path.of(args[5]));
            return;
        }
        int draws = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        String students = args.length > 1 ? args[1] : "2";
        String epochs = args.length > 2 ? args[2] : "50";
        String images = args.length > 3 ? args[3] : "1000";
        String attacks = args.length > 4 ? args[4] : "FGSM,PGD,PGD_L2";
        boolean cifar = args.length > 5 && args[5].equals("cifar");
        Map.of("bristle.official.students", students, "bristle.official.epochs", epochs,
                "bristle.official.test-images", images, "bristle.official.attacks", attacks,
                "bristle.official.modes", "untargeted").forEach(System::setProperty);
        Path dir = Files.createTempDirectory("bristle-verification-bench-");
        VerificationBenchmark bench = new VerificationBenchmark(dir, SharedData.datasets().toString());
        System.out.printf(Locale.ROOT, "official settings scaled to %s students, %s epochs, %s test images, %s"
                + " untargeted; %d draws of 100 robust images per cell, 2 students drawn%n", students, epochs, images,
                attacks, draws);
        if (draws > 0) bench.fashionMnist(draws);
        if (cifar) bench.cifar();
    }

    private void fashionMnist(int draws) throws IOException {
        Path set = dir.resolve("fm-dm-10.npz");
        check(run("distill", "--method", "dm", "--dataset", "fashion-mnist", "--ipc", "10", "--data", data,
                "--seed", "1", "--iterations", "20", "--out", set.toString()), "distill");
        Path two = dir.resolve("fm-2-threads.zip");
        Path one = dir.resolve("fm-1-thread.zip");
        double runTwo = score(set, "Fashion-MNIST", "10", "DM", data, two, 2);
        double runOne = score(set, "Fashion-MNIST", "10", "DM", data, one, 1);
        System.out.printf(Locale.ROOT, "%nFashion-MNIST IPC 10 (DM): the run that made the bundle took %.1f s on 2"
                + " threads, %.1f s on 1%n", runTwo, runOne);
        int[] labels = TestSets.load(DatasetKind.FASHION_MNIST, Path.of(data)).images().labels();
        try (Bundle a = BundleReader.read(two); Bundle b = BundleReader.read(one)) {
            calibrate(a.record(), b.record(), labels);
            Path inflated = dir.resolve("fm-inflated.zip");
            BundleTampering.rewrite(a, inflated, BundleTampering.inflated(a.record(), labels, 10), null, null);
            JsonNode all = verify(two, data, 0, "integrity,clean-predictions,sampled-attacks,training,arithmetic");
            System.out.println("\n| check | passed | seconds | share of the run | figures |");
            System.out.println("| --- | --- | --- | --- | --- |");
            for (JsonNode outcome : all.get("checks")) {
                double seconds = outcome.get("seconds").asDouble();
                System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f %% | %s |%n", outcome.get("check").asText(),
                        outcome.get("passed").asBoolean(), seconds, 100 * seconds / runTwo,
                        outcome.get("summary").asText());
            }
            draws(draws, "100", "2", two, inflated);
        }
    }

    /** The sampled attacks over {@code draws} secret draws, on an honest bundle and on its 10-point inflation. */
    private void draws(int draws, String sample, String studentsDrawn, Path honest, Path inflated) throws IOException {
        {
            int rejected = 0;
            int accepted = 0;
            for (int d = 1; d <= draws; d++) {
                JsonNode honestReport = verify(honest, data, d, "sampled-attacks", sample, studentsDrawn);
                if (!passed(honestReport)) rejected++;
                JsonNode tampered = verify(inflated, data, d, "sampled-attacks", sample, studentsDrawn);
                if (passed(tampered)) accepted++;
                System.out.printf(Locale.ROOT, "draw %d: honest: %s%n  inflated: %s%n", d,
                        honestReport.get("checks").get(0).get("summary").asText(),
                        tampered.get("checks").get(0).get("summary").asText());
            }
            System.out.printf(Locale.ROOT, "%nover %d draws (%s images per cell, %s student(s) drawn): false rejects"
                    + " of the honest bundle %d of %d; false accepts of the 10-point inflation %d of %d%n", draws,
                    sample, studentsDrawn, rejected, draws, accepted, draws);
        }
    }

    /** What two honest runs of the same bundle on other thread counts differ in. */
    private static void calibrate(EvaluationRecord a, EvaluationRecord b, int[] labels) {
        int images = a.testSet().images();
        for (int s = 0; s < a.students().size(); s++) {
            StudentOutcome x = a.students().get(s);
            StudentOutcome y = b.students().get(s);
            int same = 0;
            for (int i = 0; i < images; i++) if (x.cleanPredictions()[i] == y.cleanPredictions()[i]) same++;
            System.out.printf(Locale.ROOT, "student %d: clean accuracy %.2f %% (2 threads) and %.2f %% (1 thread),"
                            + " difference %.2f points; clean predictions agree on %d of %d images (%.2f %%)%n", s + 1,
                    x.cleanAccuracy(), y.cleanAccuracy(), Math.abs(x.cleanAccuracy() - y.cleanAccuracy()), same, images,
                    100.0 * same / images);
            for (AttackOutcome attack : x.attacks()) {
                AttackOutcome other = y.attacks().stream().filter(o -> o.attack().equals(attack.attack())
                        && o.mode().equals(attack.mode())).findFirst().orElseThrow();
                int robust = 0;
                int fooled = 0;
                for (int i = 0; i < images; i++) {
                    if (attack.perImage().correct().charAt(i) != '1') continue;
                    robust++;
                    if (other.perImage().correct().charAt(i) == '0') fooled++;
                }
                System.out.printf(Locale.ROOT, "  %s %s: %.2f %% and %.2f %% robust; robust on 2 threads, fooled on 1:"
                                + " %d of %d (%.2f %%)%n", attack.attack(), attack.mode(), attack.accuracy(),
                        other.accuracy(), fooled, robust, robust == 0 ? 0.0 : 100.0 * fooled / robust);
            }
        }
    }

    private void cifar() throws IOException {
        String shared = SharedData.folder().resolve("data").toString();
        Path bundle = dir.resolve("cifar-dc-10.zip");
        double run = score(SharedData.dcCifar10(10), "CIFAR-10", "10", "DC", shared, bundle, 2);
        JsonNode all = verify(bundle, shared, 0, "integrity,clean-predictions,sampled-attacks,training,arithmetic");
        System.out.printf(Locale.ROOT, "%nCIFAR-10 IPC 10 (DC), for the cost: the run that made the bundle took %.1f"
                + " s%n| check | seconds | share of the run |%n| --- | --- | --- |%n", run);
        for (JsonNode outcome : all.get("checks")) {
            double seconds = outcome.get("seconds").asDouble();
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f %% |%n", outcome.get("check").asText(), seconds,
                    100 * seconds / run);
        }
    }

    private double score(Path set, String dataset, String ipc, String method, String dataDir, Path bundle,
                         int threads) {
        ai.djl.engine.Engine.getEngine("PyTorch"); // the native library, loaded before its thread count is asked
        int before = JniUtils.getNumThreads();
        JniUtils.setNumThreads(threads);
        try {
            long began = System.nanoTime();
            check(run("score", "--file", set.toString(), "--dataset", dataset, "--ipc", ipc, "--method", method,
                    "--data", dataDir, "--bundle", bundle.toString()), "score");
            return (System.nanoTime() - began) / 1e9;
        } finally {
            JniUtils.setNumThreads(before);
        }
    }

    private JsonNode verify(Path bundle, String dataDir, long seed, String checks) throws IOException {
        return verify(bundle, dataDir, seed, checks, "100", "2");
    }

    private JsonNode verify(Path bundle, String dataDir, long seed, String checks, String sample,
                            String studentsDrawn) throws IOException {
        Path json = dir.resolve("verify.json");
        int exit = run("verify", bundle.toString(), "--data", dataDir, "--draw-seed", String.valueOf(seed),
                "--checks", checks, "--sample", sample, "--students-drawn", studentsDrawn, "--json", json.toString());
        if (exit == 2) throw new IllegalStateException("verify refused the bundle");
        return JSON.readTree(json.toFile());
    }

    private static boolean passed(JsonNode report) {
        return report.get("passed").asBoolean();
    }

    private static void check(int exit, String what) {
        if (exit != 0) throw new IllegalStateException(what + " exited " + exit);
    }

    private static int run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = BristleCli.standard().run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        if (exit != 0 && exit != 1) System.err.println(err.toString(StandardCharsets.UTF_8));
        return exit;
    }
}
