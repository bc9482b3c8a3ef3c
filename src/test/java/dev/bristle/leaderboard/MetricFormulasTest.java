package dev.bristle.leaderboard;

import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.metrics.RobustnessMetrics;
import dev.bristle.ml.metrics.StudentResults;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The formulas as written out for readers, including the degenerate cases the metric engine defines. */
class MetricFormulasTest {

    private static MetricReport report(Measurement clean, Measurement... attacks) {
        return RobustnessMetrics.beard().multiAdversary(AttackMode.UNTARGETED,
                List.of(new StudentResults("IPC 1", clean, List.of(attacks))));
    }

    @Test
    void writesTheInputsIntoTheFormulas() {
        MetricReport r = report(new Measurement("Clean", 60, 2.0),
                new Measurement("FGSM", 40, 4.0), new Measurement("PGD", 20, 10.0));
        // RR = 100 (1 - (60 - 30) / (60 - 20)) = 25; AE = 100 (7 - 2) / (10 - 2) = 62.5
        assertEquals("RRM = 100 × (1 − (60.00 − 30.00) / (60.00 − 20.00)) = 25.00",
                MetricFormulas.robustness("RRM", r));
        assertEquals("AEM = 100 × (7.00 − 2.00) / (10.00 − 2.00) = 62.50", MetricFormulas.efficiency("AEM", r));
        assertEquals("CREI = 0.5 × 25.00 + 0.5 × 62.50 = 43.75", MetricFormulas.crei(r));
    }

    @Test
    void saysWhyAValueIsZeroOrUndefined() {
        MetricReport flat = report(new Measurement("Clean", 50, 5.0), new Measurement("FGSM", 50, 5.0));
        assertEquals("RRS = 0 (mean clean accuracy 50.00 − min attack accuracy 50.00 is 0)",
                MetricFormulas.robustness("RRS", flat));
        assertEquals("AES = 0 (max attack time 5.00 s is not above the clean time 5.00 s)",
                MetricFormulas.efficiency("AES", flat));

        MetricReport untimed = report(new Measurement("Clean", 50, null), new Measurement("FGSM", 30, 1.0));
        assertEquals("AEM undefined: a wall time is missing", MetricFormulas.efficiency("AEM", untimed));
        assertEquals("CREI undefined: AE is undefined", MetricFormulas.crei(untimed));

        MetricReport none = report(new Measurement("Clean", 50, 1.0));
        assertEquals("RRM undefined: no attack results", MetricFormulas.robustness("RRM", none));
    }
}
