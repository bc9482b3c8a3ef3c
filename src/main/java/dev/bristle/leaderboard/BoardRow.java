package dev.bristle.leaderboard;

import java.time.LocalDate;
import java.util.List;

/**
 * One row of a leaderboard as pages and the API show it.
 *
 * @param rank               position by CREI among the board's ranked rows, highest first (ties share a rank); null
 *                           for a preliminary row
 * @param status             "ranked" or "preliminary" (measured with settings other than the protocol's official
 *                           ones: listed below the ranked rows, unranked)
 * @param differences        for a preliminary row, what differs from the official settings; empty otherwise
 * @param creiLow            lower end of the CREI's interval (bootstrap over students and test images); null where
 *                           none was computed (published entries)
 * @param tie                the CREI's interval overlaps a neighbouring ranked row's: the order between them is not
 *                           established
 * @param cleanAccuracyBasis how the clean accuracy was obtained; null when it is unknown
 * @param source             "published" or "measured"
 * @param sourceUrl          the page of the scoring job or verified submission that measured the entry; null for
 *                           published entries
 * @param baseline           this row is the board's random-subset baseline (measured by Bristle)
 * @param robustAccuracy     worst case over the attacks (%), mean over the students; null where unknown (published)
 * @param cleanGain          clean accuracy minus the baseline's (points); null on the baseline itself, where the
 *                           board has none or a value is unknown
 * @param robustGain         robust accuracy minus the baseline's (points), likewise
 * @param verified           made by a submitter's own run that the server verified by recomputing parts of it
 */
public record BoardRow(
        Integer rank,
        String status,
        List<String> differences,
        String method,
        String entryUrl,
        String paperTitle,
        String author,
        String venue,
        LocalDate updated,
        boolean codeAvailable,
        boolean distilledDataAvailable,
        double crei,
        Double creiLow,
        Double creiHigh,
        boolean tie,
        Double rrm,
        Double aem,
        Double cleanAccuracy,
        String cleanAccuracyBasis,
        String source,
        String sourceReference,
        String sourceUrl,
        Integer publishedRank,
        boolean baseline,
        Double robustAccuracy,
        Double cleanGain,
        Double robustGain,
        boolean verified) {

    public boolean preliminary() {
        return rank == null;
    }
}
