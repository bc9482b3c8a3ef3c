package dev.bristle.published;

import dev.bristle.ml.metrics.RobustnessMetrics;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegressionTest {

    private final List<RegressionCheck> checks =
            new Regression(RobustnessMetrics.beard(), Regression.DEFAULT_TOLERANCE).run(PublishedResults.fromClasspath());

    private RegressionCheck find(String source, String ipc, String mode, String metric) {
        return checks.stream()
                .filter(c -> c.source().equals(source) && c.ipc().equals(ipc) && c.mode().equals(mode)
                        && c.metric().equals(metric) && c.method().equals("BACON"))
                .findFirst().orElseThrow(() -> new AssertionError("no check " + source + " " + ipc + " " + metric));
    }

    @Test
    void everyCheckablePublishedNumberIsReproduced() {
        assertTrue(checks.stream().noneMatch(c -> c.status() == RegressionCheck.Status.FAIL), checks::toString);
        // 12 leaderboard numbers (IPC 1, 10, 50, all x CREI, RRM, AEM), Table 1 (5 + 1 misprint), Tables 2-4 (8)
        assertEquals(26, checks.size());
        assertEquals(1, checks.stream().filter(c -> c.status() == RegressionCheck.Status.SKIPPED).count());
    }

    @Test
    void reproducesTheIssueExamples() {
        assertEquals(28.48, find("leaderboard", "50", "untargeted", "CREI").recomputed(), 0.005);
        assertEquals(32.87, find("leaderboard", "50", "untargeted", "RRM").recomputed(), 0.005);
        assertEquals(24.10, find("leaderboard", "50", "untargeted", "AEM").recomputed(), 0.005);
        assertEquals(36.83, find("paper Table 1", "all", "targeted", "RRM").recomputed(), 0.005);
        assertEquals(29.27, find("paper Table 1", "all", "targeted", "AEM").recomputed(), 0.005);
        assertEquals(33.05, find("paper Table 1", "all", "targeted", "CREI").recomputed(), 0.005);
        assertEquals(24.62, find("paper Table 2", "1", "targeted", "CREI").recomputed(), 0.005);
    }

    @Test
    void theKnownMisprintIsReportedNotHidden() {
        RegressionCheck misprint = find("paper Table 1", "all", "untargeted", "RRM");
        assertEquals(RegressionCheck.Status.SKIPPED, misprint.status());
        assertTrue(misprint.reason().startsWith("misprint"));
    }
}
