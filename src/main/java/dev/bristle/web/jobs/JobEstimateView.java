package dev.bristle.web.jobs;

import dev.bristle.scoring.JobEstimate;

import java.util.Locale;

/**
 * A job's estimate as the "Score this set" form shows it, one sentence per settings: "Official settings: about 9.1
 * billion passes in 907 tasks, about 40 hours with your 3 workers".
 *
 * @param chosen   the settings asked for
 * @param official the protocol's official settings on the same subject
 * @param basis    what the hours assume
 */
public record JobEstimateView(String chosen, String official, String basis) {

    static JobEstimateView of(JobEstimate estimate) {
        JobEstimate.Fleet fleet = estimate.fleet();
        String workers = fleet.workers() == 1 ? "your 1 worker" : "your " + fleet.workers() + " workers";
        String basis;
        if (fleet.workers() == 0) {
            basis = "No worker is running: a queued job waits until one starts.";
        } else if (fleet.attacksPerSecond() == null) {
            basis = "Hours appear once a worker here has finished an attack run and measured its pass rate.";
        } else {
            basis = "At the pass rates your workers measured: " + rate(fleet.attacksPerSecond()) + " attack passes"
                    + (fleet.trainingPerSecond() == null ? "" : " and " + rate(fleet.trainingPerSecond())
                    + " training passes") + " per second and worker; attacks that stop on a fooled image are"
                    + " counted at a typical share of images resisting them.";
        }
        return new JobEstimateView(sentence("These settings", estimate.chosen(), workers),
                sentence("Official settings", estimate.official(), workers), basis);
    }

    private static String sentence(String what, JobEstimate.Cost cost, String workers) {
        return what + ": about " + passes(cost.passes()) + " passes in " + String.format(Locale.ROOT, "%,d",
                cost.tasks()) + (cost.tasks() == 1 ? " task" : " tasks")
                + (cost.hours() == null ? "" : ", about " + duration(cost.hours()) + " with " + workers);
    }

    /** 950,000; 4.2 million; 9.1 billion. */
    static String passes(long passes) {
        if (passes < 1_000_000) return String.format(Locale.ROOT, "%,d", passes);
        if (passes < 1_000_000_000) return String.format(Locale.ROOT, "%.1f million", passes / 1e6);
        return String.format(Locale.ROOT, "%.1f billion", passes / 1e9);
    }

    /** 12 minutes; 3.5 hours; 90 hours (3.8 days). */
    static String duration(double hours) {
        if (hours < 1) return Math.max(1, Math.round(hours * 60)) + " minutes";
        if (hours < 48) return String.format(Locale.ROOT, "%.1f hours", hours);
        return String.format(Locale.ROOT, "%.0f hours (%.1f days)", hours, hours / 24);
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }
}
