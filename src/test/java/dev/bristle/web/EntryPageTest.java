package dev.bristle.web;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static dev.bristle.web.BoardPagesTest.page;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The entry page: board rows, logs, recomputed metrics with their formulas, defects. */
@QuarkusTest
@Tag("database")
class EntryPageTest {

    @Test
    void baconOnCifar10ShowsTheMetricsRecomputedFromTheLogs() {
        String html = page("/entries/cifar-10/BACON", 200);
        String scope = section(html, "id=\"metrics-untargeted-50\"");
        assertTrue(scope.contains("<tr data-metric=\"RRM\">"), scope);
        assertTrue(metricRow(scope, "RRM").contains("<td class=\"num value\">32.87</td>"), scope);
        assertTrue(metricRow(scope, "AEM").contains("<td class=\"num value\">24.10</td>"), scope);
        assertTrue(metricRow(scope, "CREI").contains("<td class=\"num value\">28.48</td>"), scope);
        assertTrue(scope.contains("RRM = 100 × (1 − (69.95 − "), "the formula with its inputs");
        assertTrue(scope.contains("CREI = 0.5 × 32.87 + 0.5 × 24.10 = 28.48"), scope);
        // the published value stands beside the recomputed one
        assertTrue(metricRow(scope, "CREI").contains(">28.48</td><td><code>") || metricRow(scope, "CREI")
                .replaceAll("\\s+", " ").contains("28.48</td> <td><code>"), metricRow(scope, "CREI"));

        String targeted = section(html, "id=\"metrics-targeted-all\"");
        assertTrue(targeted.contains("left out of targeted metrics (no targeted mode): DeepFool, AutoAttack"),
                targeted);
        assertTrue(html.contains("Per attack (RRS, AES, CREI)"));
        assertTrue(html.contains("RRS = "));
        assertTrue(html.contains("Defect 3: Targeted DeepFool and targeted AutoAttack were never run"));
        assertTrue(html.contains("not run by BEARD: the clean images were scored (defect 3)"));
        assertTrue(html.contains("logs/white-box/BACON/ConvNet_CIFAR10_50_evaluation_log.txt"));
        assertTrue(html.contains("href=\"/boards/cifar-10/50?mode=untargeted\""), "links to its boards");
        assertTrue(html.contains(">2 of 6<"), "BACON is second on CIFAR-10 IPC 50");
    }

    @Test
    void methodWithoutLogsSaysSo() {
        String html = page("/entries/tinyimagenet/DSA", 200);
        assertTrue(html.contains("BEARD published no evaluation logs for DSA on TinyImageNet"), html);
        assertFalse(html.contains("metric-scope"));
        assertTrue(html.contains("Defect 2"), "targets modulo 10 affect TinyImageNet");
        assertTrue(html.contains("<td class=\"num crei\">15.67</td>"), "its published unified CREI");
    }

    @Test
    void methodNamesAreCaseInsensitive() {
        assertTrue(page("/entries/cifar-10/idm", 200).contains("<h1>IDM"));
    }

    private static String section(String html, String marker) {
        int start = html.indexOf(marker);
        assertTrue(start >= 0, marker + " missing");
        return html.substring(start, html.indexOf("</article>", start));
    }

    private static String metricRow(String scope, String metric) {
        int start = scope.indexOf("<tr data-metric=\"" + metric + "\">");
        return scope.substring(start, scope.indexOf("</tr>", start));
    }
}
