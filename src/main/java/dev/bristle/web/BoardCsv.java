package dev.bristle.web;

import dev.bristle.leaderboard.BoardRow;
import dev.bristle.leaderboard.BoardView;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A board as CSV (RFC 4180): a header row, then one row per entry in the board's order (ranked rows, then
 * preliminary ones with an empty rank).
 */
final class BoardCsv {

    static final String MEDIA_TYPE = "text/csv";
    static final List<String> HEADER = List.of("rank", "status", "method", "crei", "rrm", "aem", "clean_accuracy",
            "robust_accuracy", "baseline", "clean_gain", "robust_gain", "source", "dataset", "ipc", "mode", "protocol",
            "recipe", "paper", "author", "venue", "updated", "entry_url", "job_url", "differences");

    private BoardCsv() {
    }

    static String of(BoardView board) {
        StringBuilder csv = new StringBuilder(line(HEADER.stream()));
        for (BoardRow row : board.rows()) {
            csv.append(line(Stream.of(row.rank() == null ? null : String.valueOf(row.rank()), row.status(),
                    row.method(), number(row.crei()), number(row.rrm()), number(row.aem()),
                    number(row.cleanAccuracy()), number(row.robustAccuracy()), String.valueOf(row.baseline()),
                    number(row.cleanGain()), number(row.robustGain()), row.source(), board.dataset(), board.ipc(),
                    board.mode(), board.protocol(), board.recipe(), row.paperTitle(), row.author(), row.venue(),
                    row.updated() == null ? null : row.updated().toString(), row.entryUrl(), row.sourceUrl(),
                    String.join("; ", row.differences()))));
        }
        return csv.toString();
    }

    /** The file name a download of the board gets, e.g. bristle-cifar-10-ipc50-untargeted.csv. */
    static String fileName(BoardView board, String extension) {
        return "bristle-" + board.datasetSlug() + "-ipc" + board.ipc() + "-" + board.mode()
                + ("beard".equals(board.protocol()) ? "" : "-" + board.protocol())
                + ("standard".equals(board.recipe()) ? "" : "-" + board.recipe()) + "." + extension;
    }

    private static String line(Stream<String> fields) {
        return fields.map(BoardCsv::field).collect(Collectors.joining(",")) + "\r\n";
    }

    private static String field(String value) {
        if (value == null) return "";
        return value.matches("[^\",\r\n]*") ? value : "\"" + value.replace("\"", "\"\"") + "\"";
    }

    private static String number(Double value) {
        return value == null ? null : String.format(Locale.ROOT, "%.2f", value);
    }
}
