package dev.bristle.published;

import java.time.LocalDate;

/** One row of a published leaderboard. {@code ipc} is "1", "10", "50" or "all" (all IPCs pooled). */
public record PublishedEntry(
        String dataset,
        String ipc,
        String mode,
        int rank,
        String method,
        String paper,
        String author,
        String venue,
        LocalDate updated,
        boolean code,
        boolean distilledData,
        double crei,
        double rrm,
        double aem) {
}
