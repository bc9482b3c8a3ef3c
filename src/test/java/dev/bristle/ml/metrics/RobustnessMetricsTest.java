package dev.bristle.ml.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RobustnessMetricsTest {

    private final RobustnessMetrics beard = RobustnessMetrics.beard();

    private static Measurement m(String attack, double accuracy, Double seconds) {
        return new Measurement(attack, accuracy, seconds);
    }

    /** BEARD's log for BACON, CIFAR-10, IPC 50, untargeted. */
    private static StudentResults baconIpc50Untargeted() {
        return new StudentResults("IPC 50", m("Clean", 69.95, 2.31), List.of(
                m("FGSM", 38.16, 3.68), m("PGD", 28.86, 12.21), m("PGD_L2", 50.80, 9.18),
                m("DeepFool", 18.28, 2374.80), m("CW", 8.31, 76.49), m("AutoAttack", 27.00, 968.53)));
    }

    @Test
    void multiAdversaryFollowsThePublishedFormulas() {
        MetricReport report = beard.multiAdversary(AttackMode.UNTARGETED, List.of(baconIpc50Untargeted()));
        assertEquals(32.87, report.rr(), 0.005);
        assertEquals(24.10, report.ae(), 0.005);
        assertEquals(28.48, report.crei(), 0.005);
        assertEquals(69.95, report.robustness().meanClean(), 1e-9);
        assertEquals(171.41 / 6, report.robustness().meanAttack(), 1e-9);
        assertEquals(8.31, report.robustness().minAttack(), 1e-9);
        assertEquals(2374.80, report.efficiency().maxAttack(), 1e-9);
        assertEquals(6, report.robustness().measurements());
        assertTrue(report.notes().isEmpty());
    }

    @Test
    void alphaWeighsRobustnessAgainstEfficiency() {
        var onlyRobustness = new RobustnessMetrics(1.0, RobustnessMetrics.BEARD_UNTARGETED_ONLY);
        MetricReport report = onlyRobustness.multiAdversary(AttackMode.UNTARGETED, List.of(baconIpc50Untargeted()));
        assertEquals(report.rr(), report.crei(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new RobustnessMetrics(1.5, Set.of()));
    }

    @Test
    void targetedModeLeavesOutAttacksWithoutATargetedVariant() {
        StudentResults targeted = new StudentResults("IPC 50", m("Clean", 69.95, 3.04), List.of(
                m("FGSM", 44.68, 3.01), m("DeepFool", 69.95, 3.04), m("AutoAttack", 69.95, 3.04)));
        MetricReport report = beard.multiAdversary(AttackMode.TARGETED, List.of(targeted));
        assertEquals(List.of("FGSM"), report.attacks());
        assertEquals(List.of("DeepFool", "AutoAttack"), report.excluded());
        assertEquals(1, report.robustness().measurements());
        assertTrue(report.notes().get(0).contains("DeepFool, AutoAttack"));
        assertFalse(beard.singleAdversary(AttackMode.TARGETED, List.of(targeted)).containsKey("DeepFool"));
    }

    @Test
    void unifiedPoolsAttacksAndAveragesCleanValues() {
        StudentResults a = new StudentResults("IPC 1", m("Clean", 40, 2.0), List.of(m("FGSM", 20, 4.0)));
        StudentResults b = new StudentResults("IPC 10", m("Clean", 60, 4.0), List.of(m("FGSM", 10, 10.0)));
        MetricReport report = beard.multiAdversary(AttackMode.UNTARGETED, List.of(a, b));
        // mean clean 50, attacks pooled [20, 10]: RR = 100 * (1 - (50 - 15) / (50 - 10)) = 12.5
        assertEquals(12.5, report.rr(), 1e-9);
        // mean clean time 3, attack times [4, 10]: AE = 100 * (7 - 3) / (10 - 3)
        assertEquals(400.0 / 7, report.ae(), 1e-9);
        assertEquals(List.of("IPC 1", "IPC 10"), report.students());
    }

    @Test
    void noAttackLeavesEveryMetricUndefined() {
        MetricReport report = beard.multiAdversary(AttackMode.UNTARGETED,
                List.of(new StudentResults("IPC 1", m("Clean", 50, 1.0), List.of())));
        assertNull(report.rr());
        assertNull(report.ae());
        assertNull(report.crei());
        assertTrue(report.notes().contains("no attack results: RR, AE and CREI are undefined"));
        assertNull(beard.multiAdversary(AttackMode.UNTARGETED, List.of()).crei());
    }

    @Test
    void zeroRobustnessDenominatorGivesZero() {
        MetricReport report = beard.multiAdversary(AttackMode.UNTARGETED,
                List.of(new StudentResults("IPC 1", m("Clean", 50, 1.0), List.of(m("FGSM", 50, 2.0)))));
        assertEquals(0.0, report.rr());
        assertTrue(report.notes().stream().anyMatch(n -> n.startsWith("RR denominator")));
    }

    @Test
    void attackAccuracyAboveCleanCountsAsClean() {
        MetricReport report = beard.multiAdversary(AttackMode.UNTARGETED, List.of(new StudentResults("IPC 1",
                m("Clean", 50, 1.0), List.of(m("FGSM", 55, 2.0), m("PGD", 30, 3.0)))));
        // accuracies counted as [50, 30]: RR = 100 * (1 - (50 - 40) / (50 - 30)) = 50
        assertEquals(50.0, report.rr(), 1e-9);
        assertTrue(report.rr() >= 0 && report.rr() <= 100);
        assertTrue(report.notes().stream().anyMatch(n -> n.contains("above the mean clean accuracy")));
    }

    @Test
    void missingTimesLeaveEfficiencyUndefinedButKeepRobustness() {
        MetricReport report = beard.multiAdversary(AttackMode.UNTARGETED, List.of(new StudentResults("IPC 1",
                m("Clean", 50, null), List.of(m("FGSM", 20, 2.0), m("PGD", 10, 3.0)))));
        assertEquals(100 * (1 - (50 - 15.0) / 40), report.rr(), 1e-9);
        assertNull(report.ae());
        assertNull(report.crei());
        assertNull(report.efficiency());
        assertTrue(report.notes().contains("a wall time is missing: AE and CREI are undefined"));
    }

    @Test
    void efficiencyIsZeroWhenAttacksAreNoSlowerThanTheCleanPass() {
        MetricReport equal = beard.multiAdversary(AttackMode.UNTARGETED, List.of(new StudentResults("IPC 1",
                m("Clean", 50, 2.0), List.of(m("FGSM", 20, 2.0)))));
        assertEquals(0.0, equal.ae());
        MetricReport faster = beard.multiAdversary(AttackMode.UNTARGETED, List.of(new StudentResults("IPC 1",
                m("Clean", 50, 5.0), List.of(m("FGSM", 20, 1.0), m("PGD", 10, 6.0)))));
        assertEquals(0.0, faster.ae());
    }

    @Test
    void singleAdversaryOverOneStudentIsDegenerate() {
        Map<String, MetricReport> single = beard.singleAdversary(AttackMode.UNTARGETED,
                List.of(baconIpc50Untargeted()));
        assertEquals(List.of("FGSM", "PGD", "PGD_L2", "DeepFool", "CW", "AutoAttack"), List.copyOf(single.keySet()));
        single.values().forEach(r -> {
            assertEquals(0.0, r.rr(), 1e-9);
            assertEquals(100.0, r.ae(), 1e-9);
        });
    }

    @Test
    void measurementsRejectImpossibleValues() {
        assertThrows(IllegalArgumentException.class, () -> m("FGSM", 101, 1.0));
        assertThrows(IllegalArgumentException.class, () -> m("FGSM", Double.NaN, 1.0));
        assertThrows(IllegalArgumentException.class, () -> m("FGSM", 50, -1.0));
        assertThrows(IllegalArgumentException.class, () -> AttackMode.fromKey("sideways"));
        assertEquals(AttackMode.TARGETED, AttackMode.fromKey("Targeted"));
    }
}
