package dev.bristle.ml.verify;

import dev.bristle.ml.attack.AttackBudgets;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.ImageSet;
import dev.bristle.ml.evidence.MetricUncertainty;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.metrics.StudentResults;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecord.AttackOutcome;
import dev.bristle.ml.record.EvaluationRecord.Interval;
import dev.bristle.ml.record.EvaluationRecord.ModeMetrics;
import dev.bristle.ml.record.EvaluationRecord.PerImage;
import dev.bristle.ml.record.EvaluationRecord.StudentOutcome;
import dev.bristle.ml.record.EvaluationRecords;
import dev.bristle.ml.score.OfficialSettings;
import dev.bristle.ml.score.ScoringPipeline;
import dev.bristle.ml.score.TestSets;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.train.TrainingConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import java.util.function.BiFunction;

/**
 * A bundle made without training, for the checks that compute nothing with a model (integrity, arithmetic) and for
 * the reader: two students of a few weights, 40 test images, FGSM untargeted, per-image results drawn at random and
 * the metrics computed from them by the metrics' own code, official seeds of the set's SHA-256.
 */
final class SyntheticBundle {

    static final int IMAGES = 40;
    static final OfficialSettings OFFICIAL = OfficialSettings.of(AttackProtocol.SOUND).scaled(2, 1, null,
            List.of("FGSM"), List.of("untargeted"));

    private SyntheticBundle() {
    }

    static TestSets.TestSet testSet() {
        int[] labels = new int[IMAGES];
        for (int i = 0; i < IMAGES; i++) labels[i] = i % 10;
        return new TestSets.TestSet(new ImageSet(new float[IMAGES * 28 * 28], labels, IMAGES, 1, 28, 28, 10),
                "synthetic test split", null, null, null, IMAGES);
    }

    static VerificationContext context() {
        return new VerificationContext(OFFICIAL, testSet(), null, 1234, 10, 2, VerificationBounds.DEFAULT, "cpu",
                Listeners.SILENT);
    }

    static Path set(Path dir) throws IOException {
        Path set = dir.resolve("fm-set.npz");
        Files.write(set, "not read by these checks".getBytes());
        return set;
    }

    static List<Map<String, HostTensor>> students() {
        List<Map<String, HostTensor>> students = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            LinkedHashMap<String, HostTensor> weights = new LinkedHashMap<>();
            weights.put("layer.weight", HostTensor.ofFloats(new float[]{s, 1, 2, 3}, 2, 2));
            students.add(weights);
        }
        return students;
    }

    /** An honest record of {@code setFile}: its metrics computed from its per-image results. */
    static EvaluationRecord record(Path setFile, long seedShift) throws IOException {
        String sha = Sha256.of(setFile);
        OfficialSeeds seeds = OfficialSeeds.of(sha);
        long seed = seeds.training() + seedShift;
        TrainingConfig training = TrainingConfig.beard(1, seed).withStudents(2);
        int[] labels = testSet().images().labels();
        SplittableRandom random = new SplittableRandom(5);
        List<StudentOutcome> students = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            int[] clean = new int[IMAGES];
            int[] adversarial = new int[IMAGES];
            int[] passes = new int[IMAGES];
            StringBuilder correct = new StringBuilder();
            int cleanRight = 0;
            for (int i = 0; i < IMAGES; i++) {
                clean[i] = random.nextInt(4) == 0 ? (labels[i] + 1) % 10 : labels[i];
                if (clean[i] == labels[i]) cleanRight++;
                adversarial[i] = clean[i] == labels[i] && random.nextBoolean() ? labels[i] : (labels[i] + 2) % 10;
                correct.append(adversarial[i] == labels[i] ? '1' : '0');
                passes[i] = 3;
            }
            students.add(new StudentOutcome(s, training.studentSeed(s), 100.0 * cleanRight / IMAGES, clean, null,
                    List.of(new AttackOutcome("FGSM", "untargeted", ArithmeticCheck.percent(correct.toString()), 3.0,
                            0.1, 1200.0, null, new PerImage(adversarial, correct.toString(), passes, null))),
                    List.of()));
        }
        AttackBudgets budgets = AttackBudgets.of(AttackProtocol.SOUND, DatasetKind.FASHION_MNIST);
        EvaluationRecord draft = new EvaluationRecord(EvaluationRecords.SCHEMA, EvaluationRecords.VERSION,
                new EvaluationRecord.Subject("fashion-mnist", "Fashion-MNIST", 10, "DM", "standard",
                        "standard training", new EvaluationRecord.SetFile(setFile.getFileName().toString(), sha, null),
                        null),
                new EvaluationRecord.RunSettings("sound", AttackProtocol.SOUND.version(), 1, 2, null, List.of("FGSM"),
                        List.of("untargeted"), budgets.linf(), budgets.l2(), null, seed, seeds.attacks(), true,
                        List.of()),
                new EvaluationRecord.TestSetInfo("synthetic test split", null, IMAGES, IMAGES, null), students,
                Map.of(), List.of(), new EvaluationRecord.RunProvenance("test", null, null, null, "cpu", 2, "test",
                "2026-12-06T21:00:00Z", "2026-12-06T21:00:01Z", 1));
        return withMetrics(draft);
    }

    /** {@code record} with its metrics computed from its per-image results, as an honest run computes them. */
    static EvaluationRecord withMetrics(EvaluationRecord record) {
        int[] labels = testSet().images().labels();
        Map<String, ModeMetrics> metrics = new LinkedHashMap<>();
        for (String key : record.settings().modes()) {
            AttackMode mode = AttackMode.fromKey(key);
            List<StudentResults> results = ArithmeticCheck.studentResults(record, mode, labels);
            var rules = AttackProtocol.SOUND.metrics();
            MetricReport report = rules.multiAdversary(mode, results);
            MetricUncertainty u = MetricUncertainty.of(rules, mode, results, MetricUncertainty.DEFAULT_RESAMPLES,
                    record.settings().attackSeed());
            metrics.put(key, new ModeMetrics(report.rr(), report.ae(), report.crei(), interval(u.rrm()),
                    interval(u.aem()), interval(u.crei()), ArithmeticCheck.worstCase(record, mode, labels),
                    "model-passes", Map.of()));
        }
        return new EvaluationRecord(record.schema(), record.schemaVersion(), record.subject(), record.settings(),
                record.testSet(), record.students(), metrics, record.curves(), record.provenance());
    }

    private static Interval interval(dev.bristle.ml.evidence.Estimate e) {
        return e.low() == null ? null : new Interval(e.low(), e.high());
    }

    /** A copy of {@code zip} with each entry's bytes passed through {@code change} (name, bytes) -> bytes or null. */
    static Path rewrite(Path zip, Path out, BiFunction<String, byte[], byte[]> change) throws IOException {
        try (ZipFile in = new ZipFile(zip.toFile());
             ZipOutputStream zipped = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry entry : java.util.Collections.list(in.entries())) {
                byte[] bytes = change.apply(entry.getName(), in.getInputStream(entry).readAllBytes());
                if (bytes == null) continue;
                zipped.putNextEntry(new ZipEntry(entry.getName()));
                zipped.write(bytes);
                zipped.closeEntry();
            }
        }
        return out;
    }

    /** Listeners for checks run outside a job. */
    static final class Listeners {
        static final ScoringPipeline.Listener SILENT = new ScoringPipeline.Listener() {
            @Override
            public void stageStarted(ScoringPipeline.Stage stage, int total, String label) {
            }

            @Override
            public void progress(int done, int total, String label) {
            }

            @Override
            public boolean cancelled() {
                return false;
            }
        };

        private Listeners() {
        }
    }
}
