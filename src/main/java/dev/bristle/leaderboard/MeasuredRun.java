package dev.bristle.leaderboard;

import dev.bristle.accounts.Actor;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.train.TrainingRecipe;

import java.util.List;
import java.util.Map;

/**
 * A finished scoring job's numbers, to go on the boards of its dataset, IPC, modes and protocol.
 *
 * @param jobId       the scoring job that measured it; null for a run recorded by the command line
 * @param reference   where the numbers come from: "scoring job #N", or the record file and its command
 * @param differences what the run did differently from its protocol's official settings; empty: a ranked run
 * @param creiIntervals per mode, the CREI's interval {low, high} where one was computed
 * @param submitter     who queued the job: a submitter's entries wait for a maintainer's review
 * @param recipe        how the students were trained (part of the entry's identity)
 * @param robustAccuracy per mode, the worst case over the attacks (an image counts when it survives them all), mean
 *                      over the students
 */
public record MeasuredRun(Long jobId, String reference, Actor submitter, String dataset, int ipc, String method, String paperTitle,
                          String authors,
                          AttackProtocol protocol, TrainingRecipe.Kind recipe, List<String> differences, double meanCleanAccuracy,
                          String cleanAccuracyBasis, Map<AttackMode, MetricReport> metrics,
                          Map<AttackMode, double[]> creiIntervals, Map<AttackMode, Double> robustAccuracy) {

    public EntryStatus status() {
        return differences.isEmpty() ? EntryStatus.RANKED : EntryStatus.PRELIMINARY;
    }
}
