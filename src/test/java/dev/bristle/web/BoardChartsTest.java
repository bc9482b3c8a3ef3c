package dev.bristle.web;

import dev.bristle.leaderboard.BoardRow;
import dev.bristle.leaderboard.BoardView;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RRM-versus-AEM chart of a board: drawn from two entries with both numbers, or a message saying why not. */
class BoardChartsTest {

    @Test
    void twoEntriesWithBothNumbersDrawTheChartAPreliminaryOneAsAnOpenCircle() {
        BoardCharts charts = BoardCharts.of(board(row("DC", 1, 30.0, 20.0, "published"),
                row("DM", null, 25.0, 22.0, "measured")), Map.of());
        assertNull(charts.rrmVersusAemAbsent());
        assertNotNull(charts.rrmVersusAem());
        assertTrue(charts.rrmVersusAem().contains("fill=\"white\" stroke=\"#d62728\" stroke-width=\"2\"><title>DM: AEM 22"),
                charts.rrmVersusAem());
        assertTrue(charts.rrmVersusAem().contains("fill=\"#1f77b4\"><title>DC: AEM 20"), "a ranked entry is filled");
    }

    @Test
    void withoutTwoSuchEntriesTheMessageSaysWhich() {
        assertEquals("No RRM-versus-AEM chart: only DM of this board's 2 entries has both RRM and AEM (BEARD published"
                + " only the CREI here); the chart needs 2 entries with both.", BoardCharts.of(board(
                row("DC", 1, null, null, "published"), row("DM", null, 25.0, 22.0, "measured")), Map.of())
                .rrmVersusAemAbsent());
        assertEquals("No RRM-versus-AEM chart: this board has one entry (DM); the chart needs 2 entries with both.",
                BoardCharts.of(board(row("DM", null, 25.0, 22.0, "measured")), Map.of()).rrmVersusAemAbsent());
        assertEquals("No RRM-versus-AEM chart: this board has no entries.",
                BoardCharts.of(board(), Map.of()).rrmVersusAemAbsent());
        assertNull(BoardCharts.of(board(), Map.of()).rrmVersusAem());
    }

    private static BoardView board(BoardRow... rows) {
        return new BoardView("CIFAR-10", "cifar-10", "10", "IPC 10", "untargeted", "sound", "Sound protocol",
                "standard", "Standard training", "crei", "desc", "/boards/cifar-10/10", List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(rows), null, null, List.of(), List.of());
    }

    private static BoardRow row(String method, Integer rank, Double rrm, Double aem, String source) {
        double crei = rrm == null ? 20 : (rrm + aem) / 2;
        return new BoardRow(rank, rank == null ? "preliminary" : "ranked", List.of(), method, "/entries/" + method,
                null, null, null, null, false, false, crei, null, null, false, rrm, aem, null, null, source, null,
                null, null, false, null, null, null);
    }
}
