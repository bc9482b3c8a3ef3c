package dev.bristle.ml.metrics;

import java.util.Arrays;
import java.util.Collection;

/** The descriptive statistics Bristle reports: one mean, one sample standard deviation, one quantile rule. */
public final class Stats {

    private Stats() {
    }

    /** The arithmetic mean; NaN for no values. */
    public static double mean(double... values) {
        if (values.length == 0) return Double.NaN;
        double sum = 0;
        for (double v : values) sum += v;
        return sum / values.length;
    }

    public static double mean(Collection<Double> values) {
        return mean(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The sample standard deviation (divisor n - 1, as over students); 0 for one value, NaN for none. */
    public static double sampleStd(double... values) {
        if (values.length < 2) return values.length == 0 ? Double.NaN : 0;
        double mean = mean(values);
        double squares = 0;
        for (double v : values) squares += (v - mean) * (v - mean);
        return Math.sqrt(squares / (values.length - 1));
    }

    public static double sampleStd(Collection<Double> values) {
        return sampleStd(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * The {@code q}-quantile of {@code values} by linear interpolation between the closest ranks (numpy's default),
     * as the bootstrap intervals take their 2.5 % and 97.5 % points.
     */
    public static double quantile(double[] values, double q) {
        if (values.length == 0) throw new IllegalArgumentException("no values to take a quantile of");
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("quantile must be in [0, 1], not " + q);
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
