package dev.bristle.leaderboard;

import dev.bristle.accounts.Actor;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.MetricReport;

import java.util.List;
import java.util.Map;

/**
 * A finished scoring job's numbers, to go on the boards of its dataset, IPC, modes and protocol.
 *
 * @param differences what the run did differently from its protocol's official settings; empty: a ranked run
 * @param creiIntervals per mode, the CREI's interval {low, high} where one was computed
 * @param submitter     who queued the job: a submitter's entries wait for a maintainer's review
 */
public record MeasuredRun(long jobId, Actor submitter, String dataset, int ipc, String method, String paperTitle,
                          String authors,
                          AttackProtocol protocol, List<String> differences, double meanCleanAccuracy,
                          String cleanAccuracyBasis, Map<AttackMode, MetricReport> metrics,
                          Map<AttackMode, double[]> creiIntervals) {

    public EntryStatus status() {
        return differences.isEmpty() ? EntryStatus.RANKED : EntryStatus.PRELIMINARY;
    }
}
