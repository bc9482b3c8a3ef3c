package dev.bristle.web.common;

import dev.bristle.datasetpool.DatasetPoolService;
import dev.bristle.datasetpool.DatasetView;
import dev.bristle.distilling.DistillationJobService;
import dev.bristle.distilling.DistillationJobView;
import dev.bristle.leaderboard.Dataset;
import dev.bristle.leaderboard.EntryService;
import dev.bristle.leaderboard.EntryView;
import dev.bristle.modelpool.ModelPoolService;
import dev.bristle.modelpool.ModelView;
import dev.bristle.scoring.JobService;
import dev.bristle.scoring.JobView;

/**
 * One thing a URL names, for a page and its JSON twin alike: what the service finds, or a 404 whose message says what
 * is missing (a page for a browser, an {@link ApiError} under /api).
 */
public final class Lookups {

    private Lookups() {
    }

    public static JobView job(JobService jobs, long id) {
        return jobs.find(id).orElseThrow(() -> noJob(id));
    }

    public static WebError noJob(long id) {
        return WebError.notFound("There is no scoring job '" + id + "'.");
    }

    public static DistillationJobView distillation(DistillationJobService jobs, long id) {
        return jobs.find(id).orElseThrow(() -> noDistillation(id));
    }

    public static WebError noDistillation(long id) {
        return WebError.notFound("There is no distillation job #" + id + ".");
    }

    public static DatasetView dataset(DatasetPoolService pool, long id) {
        return pool.find(id).orElseThrow(() -> noDataset(id));
    }

    public static WebError noDataset(long id) {
        return WebError.notFound("The dataset pool has no set '" + id + "'.");
    }

    public static EntryView entry(EntryService entries, Dataset dataset, String method) {
        return entries.entry(dataset, method).orElseThrow(() -> WebError.notFound("No method '" + method
                + "' is known on " + dataset.label() + ": it has neither a leaderboard row nor a log."));
    }

    public static ModelView model(ModelPoolService pool, long id) {
        return pool.find(id).orElseThrow(() -> WebError.notFound("The model pool has no student '" + id + "'."));
    }
}
