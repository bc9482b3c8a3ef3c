package dev.bristle.ml.record;

import dev.bristle.ml.distill.Provenance;

import java.util.List;
import java.util.Map;

/**
 * One evaluation Bristle ran, in the one versioned shape every writer and reader uses: {@code GET /api/jobs/{id}/record},
 * {@code ./bristle score --json/--record}, {@code ./bristle evaluate --json/--record}, a submission bundle's
 * {@code record.json} and the board file {@code leaderboards/bristle-measured.json}. It holds what was measured, how,
 * every student's seed and outcome, per attack and mode the per-image results, the metrics with their intervals and
 * where the run happened. The "compact" form ({@link EvaluationRecords#compact}) leaves the per-image data out.
 * docs/record.md describes every field; {@link EvaluationRecords} reads, writes and validates it.
 *
 * @param schema        always {@value EvaluationRecords#SCHEMA}
 * @param schemaVersion the schema's version ({@link EvaluationRecords#SUPPORTED_VERSIONS})
 * @param subject       what was measured
 * @param settings      how it was measured
 * @param testSet       the test images
 * @param students      every student, in training order
 * @param metrics       per attack mode key ("untargeted", "targeted"), the multi-adversary metrics
 * @param curves        the accuracy-versus-budget curves of a budget grid (sound protocol); empty without one
 * @param provenance    where and when the run happened
 */
public record EvaluationRecord(String schema, int schemaVersion, Subject subject, RunSettings settings,
                               TestSetInfo testSet, List<StudentOutcome> students, Map<String, ModeMetrics> metrics,
                               List<Curve> curves, RunProvenance provenance) {

    /**
     * What was measured: a distilled set ({@code set}) or a published checkpoint ({@code checkpoint}).
     *
     * @param dataset       the dataset's key ({@code DatasetKind}, e.g. "fashion-mnist")
     * @param datasetName   its display name, as boards show it
     * @param ipc           images per class; 0 when not known (a checkpoint evaluated without --record)
     * @param method        the entry's method name ("Random" is the boards' baseline); null when not known
     * @param recipe        training recipe key ("standard", "pgd-at")
     * @param recipeDetails the recipe in words (budget, steps)
     * @param set           the scored set; null for a checkpoint
     * @param checkpoint    the evaluated checkpoint; null for a set
     */
    public record Subject(String dataset, String datasetName, int ipc, String method, String recipe,
                          String recipeDetails, SetFile set, Checkpoint checkpoint) {
    }

    /**
     * A distilled set as scored.
     *
     * @param file       its file name (no directory)
     * @param sha256     SHA-256 of its bytes; null in records converted from the old board file, which had none
     * @param provenance the provenance inside it (Bristle's own sets carry one); null when it has none
     */
    public record SetFile(String file, String sha256, Provenance provenance) {
    }

    /**
     * A published student evaluated as it is.
     *
     * @param file   its file name
     * @param sha256 SHA-256 of its bytes
     * @param source where it is published; null when no manifest names it
     */
    public record Checkpoint(String file, String sha256, String source) {
    }

    /**
     * The run's settings.
     *
     * @param protocol        attack protocol key ("beard", "sound")
     * @param protocolVersion the protocol's version ({@code AttackProtocol.version()})
     * @param epochs          epochs each student trained; null for a checkpoint, trained elsewhere
     * @param students        students trained (1 for a checkpoint)
     * @param testImages      the test images limit; null for the whole split
     * @param attacks         attack names, in run order
     * @param modes           attack mode keys
     * @param epsLinf         the L-infinity budget in pixel units
     * @param epsL2           the L2 budget in pixel units
     * @param autoattack      AutoAttack's variant key ("standard", "bristle"); null when AutoAttack did not run
     * @param seed            the base training seed (student {@code i} trains from {@link StudentOutcome#seed})
     * @param attackSeed      the seed of the attacks' random choices
     * @param officialSeeds   whether both seeds derive from the set's SHA-256 as official runs require
     * @param differences     what differs from the protocol's official settings; empty for an official run
     */
    public record RunSettings(String protocol, int protocolVersion, Integer epochs, int students, Integer testImages,
                              List<String> attacks, List<String> modes, double epsLinf, double epsL2,
                              String autoattack, long seed, long attackSeed, boolean officialSeeds,
                              List<String> differences) {
    }

    /**
     * The test images.
     *
     * @param description which files and which of their images, in words
     * @param sha256      SHA-256 of the test file(s) as read; null when not known
     * @param images      images evaluated: the length of every per-image array
     * @param splitSize   images of the whole test split
     * @param copy        what the images are when not the official files; null when they are
     */
    public record TestSetInfo(String description, String sha256, int images, int splitSize, String copy) {
    }

    /**
     * One student: its seed, clean result and every attack on it.
     *
     * @param index            0-based, in training order
     * @param seed             the seed it trained from; 0 for a checkpoint, trained elsewhere
     * @param cleanAccuracy    clean accuracy (%)
     * @param cleanPredictions the predicted class per test image; null when compact
     * @param stateDictSha256  SHA-256 of its state dict in a bundle; null outside one
     * @param attacks          every attack in every mode
     * @param flags            the sanity checks its results raised
     */
    public record StudentOutcome(int index, long seed, double cleanAccuracy, int[] cleanPredictions,
                                 String stateDictSha256, List<AttackOutcome> attacks, List<Flag> flags) {
    }

    /**
     * One attack in one mode on one student.
     *
     * @param attack          the attack's name
     * @param mode            the mode's key
     * @param accuracy        accuracy after the attack (%)
     * @param passesPerImage  model passes (forward + backward) per image, the scoring pass included
     * @param seconds         wall time
     * @param passesPerSecond passes per image times images, per second of wall time
     * @param batchSizes      the batch sizes it ran at; null when not recorded
     * @param perImage        per-image results; null when compact
     */
    public record AttackOutcome(String attack, String mode, double accuracy, Double passesPerImage, Double seconds,
                                Double passesPerSecond, List<Integer> batchSizes, PerImage perImage) {
    }

    /**
     * Per-image results of one attack, each array in test-set order and {@link TestSetInfo#images} long.
     *
     * @param prediction the predicted class of the adversarial image
     * @param correct    '1' per image still classified correctly after the attack, else '0'
     * @param passes     model passes (forward + backward) spent on the image
     * @param norm       L2 norm of the perturbation for minimal-perturbation attacks (CW, DeepFool); else null
     */
    public record PerImage(int[] prediction, String correct, int[] passes, double[] norm) {
    }

    /**
     * A raised sanity check.
     *
     * @param check    the check's key
     * @param mode     the mode it concerns; null for checks of the model itself
     * @param attacks  the attacks it concerns
     * @param evidence the figures that raised it, in a sentence
     */
    public record Flag(String check, String mode, List<String> attacks, String evidence) {
    }

    /**
     * One mode's multi-adversary metrics (null where undefined), their bootstrap intervals, and the worst case.
     *
     * @param robustAccuracy the worst case over the attacks (an image counts only if every attack failed), mean over
     *                       the students (%)
     * @param efficiency     what AEM measures cost in ({@code EfficiencyBasis} key)
     * @param perAttack      per attack, its single-adversary metrics
     */
    public record ModeMetrics(Double rrm, Double aem, Double crei, Interval rrmInterval, Interval aemInterval,
                              Interval creiInterval, Double robustAccuracy, String efficiency,
                              Map<String, SingleAdversary> perAttack) {
    }

    /** A bootstrap interval. */
    public record Interval(double low, double high) {
    }

    /** One attack's single-adversary metrics (null where undefined). */
    public record SingleAdversary(Double rrs, Double aes, Double crei) {
    }

    /**
     * Accuracy against budget for one attack and mode.
     *
     * @param norm "Linf" or "L2"
     */
    public record Curve(String attack, String mode, String norm, List<CurvePoint> points) {
    }

    /** One budget on a curve: accuracy (%) at {@code eps}. */
    public record CurvePoint(double eps, double accuracy) {
    }

    /**
     * Where and when the run happened.
     *
     * @param bristleVersion Bristle's version; null in records converted from the old board file (also for the next
     *                       three)
     * @param commit         the git commit Bristle was built from; null when not known at build time
     * @param djlVersion     DJL's version
     * @param pytorchVersion the PyTorch engine's version
     * @param device         the device it ran on ("cpu", "gpu(0)")
     * @param threads        the engine's threads; null when not recorded
     * @param command        the command that measured it
     * @param startedAt      ISO-8601, UTC; null when not recorded
     * @param finishedAt     ISO-8601, UTC
     * @param seconds        how long it took
     */
    public record RunProvenance(String bristleVersion, String commit, String djlVersion, String pytorchVersion,
                                String device, Integer threads, String command, String startedAt, String finishedAt,
                                double seconds) {
    }
}
