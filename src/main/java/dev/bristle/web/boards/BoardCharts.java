package dev.bristle.web.boards;

import dev.bristle.charts.CurveChart;
import dev.bristle.leaderboard.BoardRow;
import dev.bristle.leaderboard.BoardView;
import dev.bristle.leaderboard.Ipc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The charts of a board page, as SVG: CREI against IPC with a line per method (the data set's IPC 1, 10 and 50
 * boards in the board's mode and protocol) and RRM against AEM for the board's entries. Each draws the ranked
 * entries; where they are too few to draw (no ranked entry on the IPC boards, fewer than two ranked entries with RRM
 * and AEM on the board) it draws the preliminary ones too, marked as such (dashed lines, open circles): preliminary
 * entries are not comparable with ranked ones, and a short run's extreme numbers would squeeze them into a corner.
 *
 * @param creiByIpc          null when no IPC board of the data set has an entry
 * @param rrmVersusAem       null when fewer than two of the board's entries have both RRM and AEM
 * @param rrmVersusAemAbsent why there is no RRM-versus-AEM chart; null when there is one
 */
record BoardCharts(Chart creiByIpc, Chart rrmVersusAem, String rrmVersusAemAbsent) {

    /** Points a scatter needs to say anything. */
    static final int SCATTER_POINTS = 2;

    /**
     * One chart.
     *
     * @param svg             the chart
     * @param preliminaryNote how it treats the preliminary entries, for its caption; null when there are none
     */
    record Chart(String svg, String preliminaryNote) {
    }

    static BoardCharts of(BoardView board, Map<Ipc, List<BoardRow>> rowsByIpc) {
        // every method of the data set's boards, by name: a method has the same colour in both charts
        List<String> colors = Stream.concat(rowsByIpc.values().stream().flatMap(List::stream), board.rows().stream())
                .map(BoardRow::method).distinct().sorted(String.CASE_INSENSITIVE_ORDER).toList();
        Chart creiByIpc = creiByIpc(board, rowsByIpc, colors);
        List<BoardRow> both = board.rows().stream().filter(r -> r.rrm() != null && r.aem() != null).toList();
        if (both.size() < SCATTER_POINTS) return new BoardCharts(creiByIpc, null, rrmVersusAemAbsent(board, both));
        List<BoardRow> ranked = both.stream().filter(r -> !r.preliminary()).toList();
        List<BoardRow> plotted = ranked.size() >= SCATTER_POINTS ? ranked : both;
        return new BoardCharts(creiByIpc, new Chart(rrmVersusAem(board, plotted, colors), note(plotted.size()
                < both.size(), plotted.stream().anyMatch(BoardRow::preliminary), "Open circles")), null);
    }

    /** What a caption says of the preliminary entries: drawn and marked, left out, or nothing when there are none. */
    private static String note(boolean leftOut, boolean drawn, String marked) {
        if (drawn) return marked + ": preliminary entries, measured with other settings than the official ones.";
        return leftOut ? "Preliminary entries are left out: measured with other settings than the official ones, they"
                + " are not comparable with the ranked ones." : null;
    }

    /** A line of the CREI-by-IPC chart: a method's ranked entries, or its preliminary ones. */
    private record Line(String method, boolean preliminary) {
    }

    private static Chart creiByIpc(BoardView board, Map<Ipc, List<BoardRow>> rowsByIpc, List<String> colors) {
        boolean anyRanked = rowsByIpc.values().stream().flatMap(List::stream).anyMatch(r -> !r.preliminary());
        boolean anyPreliminary = rowsByIpc.values().stream().flatMap(List::stream).anyMatch(BoardRow::preliminary);
        Map<Line, Map<Integer, Double>> byLine = new TreeMap<>(Comparator.comparing(Line::method,
                String.CASE_INSENSITIVE_ORDER).thenComparing(Line::preliminary));
        List<CurveChart.Tick> ticks = new ArrayList<>();
        for (int i = 0; i < Ipc.POOLED.size(); i++) {
            Ipc ipc = Ipc.POOLED.get(i);
            ticks.add(new CurveChart.Tick(i, ipc.label()));
            for (BoardRow row : rowsByIpc.getOrDefault(ipc, List.of())) {
                if (anyRanked && row.preliminary()) continue;
                byLine.computeIfAbsent(new Line(row.method(), row.preliminary()), m -> new LinkedHashMap<>())
                        .put(i, row.crei());
            }
        }
        if (byLine.isEmpty()) return null;
        List<CurveChart.Series> series = new ArrayList<>();
        byLine.forEach((line, points) -> series.add(new CurveChart.Series(line.method(), line.method(),
                line.preliminary(), 0, points.keySet().stream().mapToDouble(Integer::doubleValue).toArray(),
                points.values().stream().mapToDouble(Double::doubleValue).toArray())));
        double[] all = series.stream().flatMapToDouble(s -> Arrays.stream(s.y())).toArray();
        CurveChart.Panel panel = new CurveChart.Panel(board.dataset() + ", " + board.mode() + " attacks",
                new CurveChart.Axis("images per class", -0.25, Ipc.POOLED.size() - 0.75, ticks, ""),
                CurveChart.Axis.fitted("CREI", all, ""));
        return new Chart(CurveChart.svg("CREI against images per class", List.of(panel), series, colors),
                note(anyRanked && anyPreliminary, !anyRanked, "Dashed"));
    }

    private static String rrmVersusAem(BoardView board, List<BoardRow> plotted, List<String> colors) {
        List<BoardRow> rows = plotted.stream()
                .sorted(Comparator.comparing(BoardRow::method, String.CASE_INSENSITIVE_ORDER)).toList();
        List<CurveChart.Series> series = rows.stream().map(r -> new CurveChart.Series(r.method(), r.method(), false,
                0, new double[] {r.aem()}, new double[] {r.rrm()},
                r.preliminary() ? CurveChart.Style.OPEN_POINTS : CurveChart.Style.POINTS)).toList();
        CurveChart.Panel panel = new CurveChart.Panel(board.dataset() + ", " + board.ipcLabel() + ", " + board.mode(),
                CurveChart.Axis.fitted("AEM", rows.stream().mapToDouble(BoardRow::aem).toArray(), ""),
                CurveChart.Axis.fitted("RRM", rows.stream().mapToDouble(BoardRow::rrm).toArray(), ""));
        return CurveChart.svg("RRM against AEM", List.of(panel), series, colors);
    }

    /** Why the board has no RRM-versus-AEM chart: no entries, or fewer than two with both numbers (which). */
    private static String rrmVersusAemAbsent(BoardView board, List<BoardRow> plotted) {
        int entries = board.rows().size();
        if (entries == 0) return "No RRM-versus-AEM chart: this board has no entries.";
        boolean publishedCreiOnly = board.rows().stream()
                .anyMatch(r -> (r.rrm() == null || r.aem() == null) && "published".equals(r.source()));
        String why;
        if (entries == 1) {
            why = plotted.isEmpty() ? "the board's one entry has no RRM and AEM" : "this board has one entry ("
                    + plotted.get(0).method() + ")";
        } else {
            why = (plotted.isEmpty() ? "none" : "only " + plotted.get(0).method()) + " of this board's " + entries
                    + " entries has both RRM and AEM";
        }
        return "No RRM-versus-AEM chart: " + why + (publishedCreiOnly ? " (BEARD published only the CREI here)" : "")
                + "; the chart needs " + SCATTER_POINTS + " entries with both.";
    }
}
