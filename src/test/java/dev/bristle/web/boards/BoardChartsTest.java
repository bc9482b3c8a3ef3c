package dev.bristle.web.boards;

import dev.bristle.leaderboard.BoardRow;
import dev.bristle.leaderboard.BoardView;
import dev.bristle.leaderboard.Ipc;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A board's charts: RRM against AEM drawn from two entries with both numbers, or a message saying why not; the
 * preliminary entries drawn, marked, only where the ranked ones are too few.
 */
class BoardChartsTest {

    @Test
    void twoEntriesWithBothNumbersDrawTheChartAPreliminaryOneAsAnOpenCircle() {
        BoardCharts charts = BoardCharts.of(board(row("DC", 1, 30.0, 20.0, "published"),
                row("DM", null, 25.0, 22.0, "measured")), Map.of());
        assertNull(charts.rrmVersusAemAbsent());
        assertNotNull(charts.rrmVersusAem());
        String svg = charts.rrmVersusAem().svg();
        assertTrue(svg.contains("fill=\"white\" stroke=\"#d62728\" stroke-width=\"2\"><title>DM: AEM 22"), svg);
        assertTrue(svg.contains("fill=\"#1f77b4\"><title>DC: AEM 20"), "a ranked entry is filled");
        assertEquals("Open circles: preliminary entries, measured with other settings than the official ones.",
                charts.rrmVersusAem().preliminaryNote());
    }

    @Test
    void twoRankedEntriesLeaveThePreliminaryOnesOutAndSaySo() {
        BoardRow dc = row("DC", 1, 30.0, 20.0, "published");
        BoardRow dsa = row("DSA", 2, 28.0, 21.0, "published");
        BoardRow dm = row("DM", null, 0.0, 100.0, "measured");
        BoardCharts charts = BoardCharts.of(board(dc, dsa, dm), Map.of(Ipc.TEN, List.of(dc, dsa, dm)));
        assertFalse(charts.rrmVersusAem().svg().contains("DM"), "a short run's extremes do not squeeze the ranked");
        assertTrue(charts.rrmVersusAem().preliminaryNote().startsWith("Preliminary entries are left out"));
        assertFalse(charts.creiByIpc().svg().contains("DM"));
        assertTrue(charts.creiByIpc().preliminaryNote().startsWith("Preliminary entries are left out"));

        BoardCharts ranked = BoardCharts.of(board(dc, dsa), Map.of(Ipc.TEN, List.of(dc, dsa)));
        assertNull(ranked.rrmVersusAem().preliminaryNote(), "no preliminary entries: nothing to say of them");
        assertNull(ranked.creiByIpc().preliminaryNote());
    }

    @Test
    void withoutRankedEntriesCreiAgainstIpcDrawsThePreliminaryOnesDashed() {
        BoardRow one = row("DM", null, 25.0, 22.0, "measured");
        BoardRow ten = row("DM", null, 27.0, 24.0, "measured");
        BoardCharts charts = BoardCharts.of(board(one), Map.of(Ipc.ONE, List.of(one), Ipc.TEN, List.of(ten)));
        assertTrue(charts.creiByIpc().svg().contains("stroke-dasharray=\"6 4\"><title>DM</title></polyline>"),
                charts.creiByIpc().svg());
        assertEquals("Dashed: preliminary entries, measured with other settings than the official ones.",
                charts.creiByIpc().preliminaryNote());
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
        assertNull(BoardCharts.of(board(), Map.of()).creiByIpc(), "no entries on the IPC boards: no chart");
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
                null, null, false, null, null, null, false);
    }
}
