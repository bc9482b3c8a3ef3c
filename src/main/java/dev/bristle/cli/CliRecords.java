package dev.bristle.cli;

import ai.djl.Device;
import dev.bristle.files.Digests;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.engine.BuildInfo;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecord.RunProvenance;
import dev.bristle.ml.record.EvaluationRecord.RunSettings;
import dev.bristle.ml.record.EvaluationRecord.TestSetInfo;
import dev.bristle.ml.record.EvaluationRecords;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.score.AttackPlan;
import dev.bristle.ml.score.OfficialSettings;
import dev.bristle.ml.score.TestSets;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** The parts of an evaluation record {@code score} and {@code evaluate} fill alike, and writing it ({@code --json}). */
final class CliRecords {

    private CliRecords() {
    }

    /** A dataset's key in a record: its name in lower case, '-' for '_' ({@link DatasetKind#fromName} reads it). */
    static String datasetKey(DatasetKind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The run's settings, with what differs from its protocol's official run as a job's are judged.
     *
     * @param epochs null for a checkpoint (trained elsewhere)
     * @param seed   the base training seed
     */
    static RunSettings settings(AttackPlan plan, Integer epochs, int students, TestSets.TestSet test, int images,
                                long seed) {
        List<String> modes = plan.modes().stream().map(AttackMode::key).toList();
        Integer limit = images < test.splitSize() ? images : null;
        OfficialSettings.Run job = new OfficialSettings.Run(plan.protocol().key(), students, epochs, plan.attacks(),
                modes);
        OfficialSettings official = CliOfficial.ofSystem().of(plan.protocol());
        List<String> differences = epochs == null
                ? official.checkpointDifferences(job, images, test.splitSize(), test.copy())
                : official.differences(job, images, test.splitSize(), test.copy());
        String autoattack = plan.attacks().contains("AutoAttack")
                ? plan.autoAttack().name().toLowerCase(Locale.ROOT) : null;
        return new RunSettings(plan.protocol().key(), plan.protocol().version(), epochs, students, limit,
                plan.attacks(), modes, plan.budgets().linf(), plan.budgets().l2(), autoattack, seed, plan.seed(),
                false, differences);
    }

    static TestSetInfo testSet(TestSets.TestSet test, int images) throws IOException {
        Path file = test.file();
        String sha256 = file != null && Files.isRegularFile(file) ? Digests.sha256(file) : null;
        return new TestSetInfo(test.description(), sha256, images, test.splitSize(), test.copy());
    }

    static RunProvenance provenance(String command, Device device, Instant started) {
        BuildInfo build = BuildInfo.of(device);
        Instant finished = Instant.now();
        return new RunProvenance(build.bristleVersion(), build.commit(), build.djlVersion(), build.pytorchVersion(),
                build.device(), build.threads(), command, started.truncatedTo(ChronoUnit.SECONDS).toString(),
                finished.truncatedTo(ChronoUnit.SECONDS).toString(),
                Duration.between(started, finished).toNanos() / 1e9);
    }

    /** {@code --json}: the whole record, per-image data included. */
    static void writeJson(Path file, EvaluationRecord record) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            EvaluationRecords.write(record, out);
        }
    }
}
