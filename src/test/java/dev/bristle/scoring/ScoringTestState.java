package dev.bristle.scoring;

import dev.bristle.leaderboard.EntrySource;
import dev.bristle.leaderboard.LeaderboardEntry;
import dev.bristle.modelpool.PoolModel;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** What the scoring tests reset around each test, so they leave the shared database as the other tests expect it. */
final class ScoringTestState {

    private ScoringTestState() {
    }

    /** No queued job left by another test may be claimed by the next one. */
    static void cancelQueuedJobs(JobService jobs) {
        jobs.list().stream().filter(j -> j.state().equals("queued")).forEach(j -> jobs.cancel(j.id(), dev.bristle.accounts.TestAccounts.MAINTAINER));
    }

    /** Trained students and measured entries go, for the model-pool and board tests that count them. */
    static void removeTrainedStudentsAndMeasuredEntries() {
        QuarkusTransaction.requiringNew().run(() -> {
            PoolModel.delete("origin", PoolModel.Origin.TRAINED);
            LeaderboardEntry.delete("source", EntrySource.MEASURED);
        });
    }
}
