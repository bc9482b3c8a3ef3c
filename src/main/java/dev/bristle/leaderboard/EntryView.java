package dev.bristle.leaderboard;

import java.time.LocalDate;
import java.util.List;

/** Everything known about one method on one dataset: board rows, paper numbers, logs and recomputed metrics. */
public record EntryView(
        String dataset,
        String datasetSlug,
        String method,
        String paperTitle,
        String author,
        String venue,
        LocalDate updated,
        Boolean codeAvailable,
        Boolean distilledDataAvailable,
        List<EntryBoardRow> boards,
        List<PaperNumber> paperValues,
        boolean hasLogs,
        String logsMessage,
        List<RunView> runs,
        List<MetricScope> metrics,
        List<String> defects,
        List<MeasuredEvidence> measurements,
        List<Remeasured> remeasured) {

    /**
     * A published checkpoint of the method re-measured by Bristle in BEARD's protocol, beside BEARD's numbers for the
     * same IPC and mode.
     *
     * @param testSet        the test data of the re-measurement (and how many images)
     * @param cleanPublished BEARD's clean accuracy of the student (its log), null where none was published
     * @param rrmPublished   BEARD's RRM on the board of this IPC and mode, null where none was published
     */
    public record Remeasured(long jobId, String jobUrl, String checkpoint, String ipc, String mode, String testSet,
                             String testSetNote, Integer testImages, Double clean, Double cleanPublished,
                             Double cleanDifference, Double rrm, Double rrmPublished, Double rrmDifference) {
    }

    /**
     * The method's row on one board, with its rank among the board's ranked rows (null when preliminary).
     *
     * @param protocol    "beard" or "sound"
     * @param status      "ranked" or "preliminary"
     * @param differences for a preliminary row, what differs from the protocol's official settings
     * @param rankedSize  how many ranked rows the board has
     * @param verified     made by a submitter's run that the server verified ({@code sourceUrl}: the submission)
     * @param verification what verification recomputed, on how many images, with what agreement: one line per check
     */
    public record EntryBoardRow(String mode, String ipc, String ipcLabel, String protocol, String recipe,
                                String status,
                                List<String> differences, Integer rank, int rankedSize, double crei, Double creiLow,
                                Double creiHigh, Double rrm, Double aem, Double cleanAccuracy,
                                String cleanAccuracyBasis, String source, String sourceReference, String sourceUrl,
                                Long scoringJobId, String boardUrl, boolean verified,
                                List<String> verification) {
    }

    public record PaperNumber(int table, String metric, String mode, String ipc, String training, Double value,
                              String note) {
    }

    /** One evaluation log: per attack the accuracy (%) and wall time (s) in both modes. */
    public record RunView(String kind, String ipc, String model, String log, String loggedAt, List<String> notes,
                          List<AttackLine> attacks) {
    }

    public record AttackLine(String attack, Double targetedAccuracy, Double targetedSeconds, String targetedNote,
                             Double untargetedAccuracy, Double untargetedSeconds, String untargetedNote) {
    }

    /**
     * The metrics of one mode over one IPC (or, for "all", IPC 1, 10 and 50 pooled), recomputed from the white-box
     * logs, each with its formula filled in and the published value beside it.
     */
    public record MetricScope(String mode, String ipc, String ipcLabel, List<String> students, List<String> attacks,
                              List<String> excluded, MetricValue robustness, MetricValue efficiency,
                              MetricValue crei, List<AttackMetric> perAttack, List<String> notes) {

        /** RRM, AEM and CREI, in that order, for listing. */
        public List<MetricValue> multiAdversary() {
            return List.of(robustness, efficiency, crei);
        }
    }

    /**
     * @param formula   the formula with its inputs, e.g. "RRM = 100 × (1 − (69.95 − 28.57) / (69.95 − 8.31)) = 32.87"
     * @param published the published value of the same number, null when none is published
     */
    public record MetricValue(String name, Double value, String formula, Double published, String publishedSource) {
    }

    /** RRS, AES and CREI of one attack alone. */
    public record AttackMetric(String attack, MetricValue robustness, MetricValue efficiency, MetricValue crei,
                               List<String> notes) {
    }
}
