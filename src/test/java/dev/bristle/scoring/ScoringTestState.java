package dev.bristle.scoring;

import dev.bristle.datasetpool.DatasetPoolService;
import dev.bristle.datasetpool.DatasetView;
import dev.bristle.leaderboard.EntrySource;
import dev.bristle.leaderboard.LeaderboardEntry;
import dev.bristle.leaderboard.PublishedFile;
import dev.bristle.modelpool.PoolModel;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** What the scoring tests reset around each test, so they leave the shared database as the other tests expect it. */
public final class ScoringTestState {

    private ScoringTestState() {
    }

    /** No job left under way by another test may have its tasks claimed by the next one. */
    public static void cancelQueuedJobs(JobService jobs) {
        jobs.list().stream().filter(j -> !j.ended() && !j.cancelRequested())
                .forEach(j -> jobs.cancel(j.id(), dev.bristle.accounts.TestAccounts.MAINTAINER));
    }

    /** No distillation a test queued may be claimed by another test's worker. */
    public static void cancelQueuedDistillations() {
        QuarkusTransaction.requiringNew().run(() -> dev.bristle.distilling.DistillationJob.update(
                "state = ?1, finishedAt = ?2 where state = ?3", JobState.CANCELLED, java.time.Instant.now(),
                JobState.QUEUED));
    }

    /** The dataset pool's DC CIFAR-10 set of {@code ipc} images per class, imported at start-up. */
    public static long dcSet(DatasetPoolService pool, int ipc) {
        return pool.list().stream().filter(d -> d.method().equals("DC") && d.ipc() == ipc
                && d.origin().equals("imported")).map(DatasetView::id).findFirst().orElseThrow();
    }

    /**
     * What the tests' jobs made goes: trained students, and the entries jobs published, for the model-pool and board
     * tests that count them. Bristle's own measured records stay, loaded again where a job's entry replaced one.
     */
    public static void removeWhatJobsMade() {
        QuarkusTransaction.requiringNew().run(() -> {
            PoolModel.delete("origin", PoolModel.Origin.TRAINED);
            LeaderboardEntry.delete("source = ?1 and scoringJobId is not null", EntrySource.MEASURED);
            PublishedFile.delete("name", RecordedResultsLoader.FILE);
        });
        Arc.container().instance(RecordedResultsLoader.class).get().load();
    }
}
