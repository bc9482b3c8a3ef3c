package dev.bristle.scoring;

import dev.bristle.accounts.Account;
import dev.bristle.accounts.AccountsConfig;
import dev.bristle.accounts.QuotaExceeded;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.List;

/**
 * The active-jobs quota: a submitter's queued and running jobs at once, scoring jobs and every other kind of job that
 * takes the workers' time ({@link Source}: distillation jobs) counted together, so one budget. It holds under
 * concurrent requests: the count runs with the account's row locked, in the transaction that then inserts the job.
 */
@ApplicationScoped
public class ActiveJobs {

    /** Another kind of job the quota counts; its package implements this, so scoring need not know it. */
    public interface Source {

        /** Queued and running jobs of {@code submitter}. */
        long activeJobs(String submitter);
    }

    @Inject
    AccountsConfig accounts;

    @Inject
    Instance<Source> others;

    /**
     * Refuses a new job of {@code submitter} (HTTP 429) when it already has as many queued or running as the quota
     * allows. Call it in the transaction that inserts the job: the account's row stays locked until that transaction
     * ends.
     */
    public void require(String submitter) {
        Account.lockForQuota(submitter);
        long active = ScoringJob.countActive(submitter) + others.stream().mapToLong(o -> o.activeJobs(submitter)).sum();
        int limit = accounts.quota().activeJobs();
        if (active >= limit) {
            throw new QuotaExceeded(true, List.of("you have " + active + " queued or running job(s) (scoring and"
                    + " distillation together), the most a submitter may have at once (" + limit + "); wait for one"
                    + " to end or cancel one"));
        }
    }
}
