package dev.bristle.leaderboard;

import java.time.LocalDate;

/**
 * One row of a leaderboard as pages and the API show it.
 *
 * @param rank               position by CREI, highest first (ties share a rank)
 * @param cleanAccuracyBasis how the clean accuracy was obtained; null when it is unknown
 * @param source             "published" or "measured"
 * @param sourceUrl          the page of the scoring job that measured the entry; null for published entries
 */
public record BoardRow(
        int rank,
        String method,
        String entryUrl,
        String paperTitle,
        String author,
        String venue,
        LocalDate updated,
        boolean codeAvailable,
        boolean distilledDataAvailable,
        double crei,
        Double rrm,
        Double aem,
        Double cleanAccuracy,
        String cleanAccuracyBasis,
        String source,
        String sourceReference,
        String sourceUrl,
        Integer publishedRank) {
}
