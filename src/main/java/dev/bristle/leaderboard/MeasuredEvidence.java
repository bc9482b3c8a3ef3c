package dev.bristle.leaderboard;

import dev.bristle.ml.attack.BudgetSweep;

import java.time.Instant;
import java.util.List;

/**
 * What a measured entry rests on: the scoring job's measurements, per attack and mode over its students, its
 * metrics, curves and provenance.
 *
 * @param recordUrl   the downloadable evaluation record (JSON) of the job
 * @param subject     the set or checkpoint measured
 * @param status      "ranked" or "preliminary"; null for a checkpoint evaluation, which is on no board
 * @param differences what differs from the protocol's official settings
 */
public record MeasuredEvidence(long jobId, String jobUrl, String recordUrl, String subject, int ipc, String protocol,
                               String status, List<String> differences, int students, Integer testImages,
                               String testSet, String testSetNote, Double meanCleanAccuracy, Double cleanAccuracyStd,
                               List<AttackEvidence> attacks, List<ModeMetrics> metrics,
                               List<WorstCase> worstCase, List<PerClass> perClass, List<String> flags,
                               List<BudgetSweep.Curve> curves, Provenance provenance) {

    /**
     * One attack in one mode over the students.
     *
     * @param accuracy    mean accuracy (%) over the students
     * @param accuracyStd sample standard deviation over the students (0 for one student)
     * @param asr         attack success rate (%): the share of the correctly classified clean images the attack
     *                    flips, mean over the students; null without per-image results
     * @param passes      model passes per image (forward and backward, scoring included), mean over the students
     * @param seconds     mean wall time of the pass (s)
     */
    public record AttackEvidence(String mode, String attack, double accuracy, double accuracyStd, Double asr,
                                 Double passes, Double seconds, int students) {
    }

    /**
     * The metrics of one mode, with their spread over the students and 95 % bootstrap interval where computed.
     *
     * @param efficiency what AE is computed from: wall time (BEARD) or model passes per image (sound)
     */
    public record ModeMetrics(String mode, Double rrm, Double aem, Double crei, String efficiency,
                              Interval rrmInterval, Interval aemInterval, Interval creiInterval,
                              List<String> notes) {
    }

    /** A metric's spread: standard deviation over the students and a 95 % bootstrap interval (nulls: unknown). */
    public record Interval(Double studentStd, Double low, Double high) {
    }

    /** Per mode, the share of images that survive every attack (what AutoAttack reports), over the students. */
    public record WorstCase(String mode, List<String> attacks, double accuracy, double accuracyStd) {
    }

    /**
     * Clean and worst-case accuracy per class in one mode, mean over the students, with the class-wise fairness
     * figures of each (worst class, best minus worst, standard deviation across classes).
     */
    public record PerClass(String mode, List<Double> clean, List<Double> worstCase, Fairness cleanFairness,
                           Fairness worstCaseFairness) {
    }

    /** Class-wise fairness figures of a per-class accuracy. */
    public record Fairness(int worstClass, double worst, double gap, double std) {
    }

    /**
     * Where the numbers come from.
     *
     * @param splitSize images of the whole test split; null for jobs that ended before it was kept
     * @param commit    the git commit the worker's Bristle was built from; null when not known
     * @param threads   PyTorch's threads on the worker that assembled the results; null when not kept
     */
    public record Provenance(String settings, List<Long> seeds, String testSetFile, String testSetSha256,
                             String testSetCopy, String testSubset, String bristleVersion, String djlVersion,
                             String pytorchVersion, String device, Instant startedAt, Instant finishedAt,
                             Double seconds, Integer splitSize, String commit, Integer threads) {
    }
}
