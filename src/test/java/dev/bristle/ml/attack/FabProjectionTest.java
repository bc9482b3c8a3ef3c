package dev.bristle.ml.attack;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FAB's L-inf projection onto a hyperplane within the box, against a brute-force bisection on small problems. */
class FabProjectionTest {

    @Test
    void projectionReachesTheHyperplaneInTheBoxWithTheSmallestLinfStep() {
        SplittableRandom random = new SplittableRandom(3);
        int reachable = 0;
        for (int trial = 0; trial < 500; trial++) {
            int n = 1 + random.nextInt(6);
            double[] t = new double[n];
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = random.nextDouble();
                w[i] = random.nextInt(5) == 0 ? 0 : 2 * random.nextDouble() - 1;
            }
            double b = (random.nextDouble() * 2 - 1) * n * 0.5;
            double[] d = FabProjection.project(t, w, b);
            for (int i = 0; i < n; i++) {
                assertTrue(t[i] + d[i] >= -1e-9 && t[i] + d[i] <= 1 + 1e-9, "trial " + trial + ": left the box");
            }
            double smallest = smallestStep(t, w, b);
            if (Double.isFinite(smallest)) {
                reachable++;
                double value = 0;
                double step = 0;
                for (int i = 0; i < n; i++) {
                    value += w[i] * (t[i] + d[i]);
                    step = Math.max(step, Math.abs(d[i]));
                }
                assertEquals(b, value, 1e-6, "trial " + trial + ": not on the hyperplane");
                assertEquals(smallest, step, 1e-6, "trial " + trial + ": not the smallest L-inf step");
            }
        }
        assertTrue(reachable > 100, "too few reachable cases: " + reachable);
    }

    /** Smallest r such that some x in the box within r of t has w.x = b (bisection); infinity if the box misses it. */
    private static double smallestStep(double[] t, double[] w, double b) {
        if (!reaches(t, w, b, 1.0)) return Double.POSITIVE_INFINITY;
        double low = 0;
        double high = 1;
        for (int k = 0; k < 100; k++) {
            double middle = (low + high) / 2;
            if (reaches(t, w, b, middle)) high = middle;
            else low = middle;
        }
        return high;
    }

    private static boolean reaches(double[] t, double[] w, double b, double r) {
        double min = 0;
        double max = 0;
        for (int i = 0; i < t.length; i++) {
            double lo = Math.max(0, t[i] - r);
            double hi = Math.min(1, t[i] + r);
            min += Math.min(w[i] * lo, w[i] * hi);
            max += Math.max(w[i] * lo, w[i] * hi);
        }
        return min <= b && b <= max;
    }
}
