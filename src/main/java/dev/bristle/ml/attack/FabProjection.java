package dev.bristle.ml.attack;

import java.util.Arrays;

/**
 * FAB's projection onto a linearized decision boundary: the smallest L-inf step that reaches the hyperplane while
 * staying in the [0, 1] box, as the authors' and torchattacks' {@code projection_linf} compute it.
 */
final class FabProjection {

    private FabProjection() {
    }

    /**
     * The smallest L-inf step d with w.(t + d) = b and t + d in [0, 1] (the closest reachable point when the box
     * does not reach the hyperplane): sort coordinates by how far they can move, and find by bisection how many must
     * move all the way to the box's edge.
     */
    static double[] project(double[] t, double[] hyperplaneW, double hyperplaneB) {
        int n = t.length;
        double[] w = hyperplaneW.clone();
        double b = hyperplaneB;
        double dotWt = 0;
        for (int i = 0; i < n; i++) dotWt += w[i] * t[i];
        double sign = dotWt - b >= 0 ? 1 : -1;
        for (int i = 0; i < n; i++) w[i] *= sign;
        b *= sign;
        double[] a = new double[n];
        double[] d = new double[n];
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = w[i] < 0 ? 1 : 0;
            d[i] = w[i] != 0 ? a[i] - t[i] : 0;
            p[i] = a[i] - t[i] * (2 * a[i] - 1);
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (i, j) -> Double.compare(p[i], p[j]));
        double wt = 0;
        double b0 = 0;
        for (int i = 0; i < n; i++) {
            wt += w[i] * t[i];
            b0 += w[i] * d[i];
        }
        b = b - wt;
        double[] s = new double[n];
        double[] sb = new double[n];
        double cumulativeS = 0;
        double cumulativeB = b0;
        for (int j = 0; j < n; j++) {
            int i = order[n - 1 - j];
            cumulativeS += Math.abs(w[i]);
            cumulativeB += -w[i] * d[i];
            s[j] = cumulativeS;
            sb[j] = cumulativeB;
        }
        double reachAll = sb[n - 1] - s[n - 1] * p[order[0]];
        boolean allToEdge = b - reachAll > 0;
        boolean partly = b - b0 > 0 && !allToEdge;
        if (allToEdge) {
            double lambda = Math.max((b - sb[n - 1]) / -s[n - 1], 0);
            for (int i = 0; i < n; i++) d[i] = (2 * a[i] - 1) * lambda;
        } else if (partly) {
            int at = edgeCount(b, s, sb, p, order);
            double lambda = Math.max((b - sb[at]) / -s[at], 0);
            for (int i = 0; i < n; i++) d[i] = a[i] == 1 ? Math.min(lambda, d[i]) : Math.max(-lambda, d[i]);
        }
        for (int i = 0; i < n; i++) if (w[i] == 0) d[i] = 0;
        return d;
    }

    /** Bisection for how many coordinates (in {@code order}, from the last) must move to the box's edge. */
    private static int edgeCount(double b, double[] s, double[] sb, double[] p, Integer[] order) {
        int n = s.length;
        double lower = 0;
        double upper = n - 1;
        int iterations = (int) Math.ceil(Math.log(n) / Math.log(2));
        for (int k = 0; k < iterations; k++) {
            double middle = Math.floor((lower + upper) / 2);
            int at = (int) middle;
            double reach = sb[at] - s[at] * p[order[n - 1 - at]];
            if (b - reach > 0) lower = middle;
            else upper = middle;
        }
        return (int) lower;
    }
}
