package dev.bristle.web.boards;

import dev.bristle.leaderboard.BoardRow;
import dev.bristle.leaderboard.BoardView;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A board as CSV (RFC 4180): a header row, then one row per entry in the board's order (ranked rows, then
 * preliminary ones with an empty rank). Text that a spreadsheet would run as a formula is written as text.
 */
final class BoardCsv {

    static final String MEDIA_TYPE = "text/csv";
    static final List<String> HEADER = List.of("rank", "status", "method", "crei", "rrm", "aem", "clean_accuracy",
            "robust_accuracy", "baseline", "clean_gain", "robust_gain", "source", "dataset", "ipc", "mode", "protocol",
            "recipe", "paper", "author", "venue", "updated", "entry_url", "job_url", "differences");

    private BoardCsv() {
    }

    static String of(BoardView board) {
        StringBuilder csv = new StringBuilder(line(HEADER.stream().map(BoardCsv::text)));
        for (BoardRow row : board.rows()) {
            csv.append(line(Stream.of(row.rank() == null ? "" : String.valueOf(row.rank()), text(row.status()),
                    text(row.method()), number(row.crei()), number(row.rrm()), number(row.aem()),
                    number(row.cleanAccuracy()), number(row.robustAccuracy()), String.valueOf(row.baseline()),
                    number(row.cleanGain()), number(row.robustGain()), text(row.source()), text(board.dataset()),
                    text(board.ipc()), text(board.mode()), text(board.protocol()), text(board.recipe()),
                    text(row.paperTitle()), text(row.author()), text(row.venue()),
                    text(row.updated() == null ? null : row.updated().toString()), text(row.entryUrl()),
                    text(row.sourceUrl()), text(String.join("; ", row.differences())))));
        }
        return csv.toString();
    }

    /** The file name a download of the board gets, e.g. bristle-cifar-10-ipc50-untargeted.csv. */
    static String fileName(BoardView board, String extension) {
        return "bristle-" + board.datasetSlug() + "-ipc" + board.ipc() + "-" + board.mode()
                + ("beard".equals(board.protocol()) ? "" : "-" + board.protocol())
                + ("standard".equals(board.recipe()) ? "" : "-" + board.recipe()) + "." + extension;
    }

    /** A record of cells already written as CSV ({@link #text}, {@link #number}). */
    private static String line(Stream<String> cells) {
        return cells.collect(Collectors.joining(",")) + "\r\n";
    }

    /**
     * A text cell a spreadsheet shows as text: one that begins like a formula ({@code = + - @}, a tab or a carriage
     * return) gets a single quote before it and is quoted (OWASP's CSV injection advice). Numbers are written as they
     * are, so a negative gain stays a number.
     */
    private static String text(String value) {
        if (value == null) return "";
        boolean formula = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0;
        if (!formula && value.matches("[^\",\r\n]*")) return value;
        return "\"" + (formula ? "'" : "") + value.replace("\"", "\"\"") + "\"";
    }

    private static String number(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.2f", value);
    }
}
