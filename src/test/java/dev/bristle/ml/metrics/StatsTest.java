package dev.bristle.ml.metrics;

import dev.bristle.ml.evidence.ClassFairness;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatsTest {

    @Test
    void meanAndSampleStandardDeviationAsNumpyGivesThem() {
        double[] values = {2, 4, 4, 4, 5, 5, 7, 9};
        assertEquals(5.0, Stats.mean(values), 1e-12);
        // numpy.std(values, ddof=1) = 2.1380899352993950
        assertEquals(2.138089935299395, Stats.sampleStd(values), 1e-12);
        assertEquals(0.0, Stats.sampleStd(3.5));
        assertTrue(Double.isNaN(Stats.sampleStd()));
        assertTrue(Double.isNaN(Stats.mean()));
        assertEquals(Stats.sampleStd(values), Stats.sampleStd(Arrays.stream(values).boxed().toList()), 0);
    }

    @Test
    void quantilesInterpolateBetweenRanksAsNumpysDefault() {
        double[] values = {7, 1, 3, 5}; // unsorted on purpose: the input is left as it is
        // numpy.quantile([1, 3, 5, 7], [0, 0.025, 0.5, 0.975, 1]) = [1.0, 1.15, 4.0, 6.85, 7.0]
        assertEquals(1.0, Stats.quantile(values, 0), 1e-12);
        assertEquals(1.15, Stats.quantile(values, 0.025), 1e-12);
        assertEquals(4.0, Stats.quantile(values, 0.5), 1e-12);
        assertEquals(6.85, Stats.quantile(values, 0.975), 1e-12);
        assertEquals(7.0, Stats.quantile(values, 1), 1e-12);
        assertEquals(7.0, values[0]);
        assertThrows(IllegalArgumentException.class, () -> Stats.quantile(new double[0], 0.5));
        assertThrows(IllegalArgumentException.class, () -> Stats.quantile(values, 1.5));
    }

    @Test
    void fairnessSkipsClassesWithoutImagesAndBreaksTiesByTheLowestClass() {
        ClassFairness f = ClassFairness.of(Arrays.asList(50.0, null, 90.0, 50.0, 90.0));
        assertEquals(0, f.worstClass());
        assertEquals(2, f.bestClass());
        assertEquals(40.0, f.gap(), 1e-12);
        assertEquals(20.0, f.std(), 1e-12); // population standard deviation of 50, 90, 50, 90
        assertEquals(new ClassFairness(null, null, null, null, null, null), ClassFairness.of(Arrays.asList(null, null)));
        assertEquals(0.0, ClassFairness.of(List.of(70.0)).std());
    }
}
