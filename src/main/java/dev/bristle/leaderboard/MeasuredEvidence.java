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
                               List<BudgetSweep.Curve> curves, Provenance provenance) {

    /**
     * One attack in one mode over the students.
     *
     * @param accuracy    mean accuracy (%) over the students
     * @param accuracyStd sample standard deviation over the students (0 for one student)
     * @param seconds     mean wall time of the pass (s)
     */
    public record AttackEvidence(String mode, String attack, double accuracy, double accuracyStd, Double seconds,
                                 int students) {
    }

    /** BEARD's metrics of one mode. */
    public record ModeMetrics(String mode, Double rrm, Double aem, Double crei, List<String> notes) {
    }

    /** Where the numbers come from. */
    public record Provenance(String settings, List<Long> seeds, String testSetFile, String testSetSha256,
                             String testSetCopy, String testSubset, String bristleVersion, String djlVersion,
                             String pytorchVersion, String device, Instant startedAt, Instant finishedAt,
                             Double seconds) {
    }
}
