package dev.bristle.ml.attack;

import dev.bristle.ml.metrics.AttackMode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BudgetSweepTest {

    private static AttackRun run(int[] labels, int[] clean, int[] adversarial, float[] l2) {
        int n = labels.length;
        return new AttackRun("CW", AttackMode.UNTARGETED, AttackProtocol.SOUND, Map.of(), 0, true, clean, adversarial,
                labels, null, l2, l2, new long[n], new long[n], 1, PassRate.NONE);
    }

    @Test
    void failuresCountAsInfinitePerturbationsInTheMedian() {
        int[] labels = {0, 0, 0, 0, 0};
        // sample 0 misclassified without attack (left out); 1-3 fooled; 4 not fooled
        AttackRun fooledMost = run(labels, new int[] {1, 0, 0, 0, 0}, new int[] {1, 1, 1, 1, 0},
                new float[] {0f, 0.3f, 0.1f, 0.2f, 0f});
        BudgetSweep.MinimalPerturbation m = BudgetSweep.minimalPerturbation(fooledMost);
        assertEquals(4, m.attacked());
        assertEquals(3, m.fooled());
        assertEquals(0.25, m.medianL2(), 1e-6, "median of 0.1, 0.2, 0.3 and infinity");

        AttackRun fooledHalf = run(labels, new int[] {0, 0, 0, 0, 0}, new int[] {1, 1, 0, 0, 0},
                new float[] {0.1f, 0.2f, 0f, 0f, 0f});
        assertEquals(Double.POSITIVE_INFINITY, BudgetSweep.minimalPerturbation(fooledHalf).medianL2(),
                "a median the attack never reached is infinite");
    }

    @Test
    void mediansOfNothingAreUndefined() {
        assertEquals(Double.NaN, BudgetSweep.median(List.of()));
        assertEquals(2.0, BudgetSweep.median(List.of(3.0, 1.0, 2.0)));
    }

    @Test
    void gridsRejectNegativeBudgets() {
        assertThrows(IllegalArgumentException.class, () -> new BudgetSweep.Grid(List.of(-1.0), List.of()));
        assertEquals(List.of(1.0, 2.0), new BudgetSweep.Grid(List.of(2.0, 1.0, 2.0), List.of()).linf());
    }
}
