package dev.bristle.ml.verify;

/**
 * The one-sided binomial test of the sampled-attacks check: is "fooled here" among the images the record calls robust
 * more frequent than the honest rate p0? Exact upper tail, summed in log space so large samples do not underflow.
 */
public final class BinomialTest {

    private BinomialTest() {
    }

    /** P(X >= k) for X ~ Binomial(n, p). */
    public static double upperTail(int k, int n, double p) {
        if (n < 0 || k < 0) throw new IllegalArgumentException("counts must be non-negative");
        if (k == 0) return 1;
        if (k > n) return 0;
        if (p <= 0) return 0;
        if (p >= 1) return 1;
        double logP = Math.log(p);
        double logQ = Math.log1p(-p);
        double max = Double.NEGATIVE_INFINITY;
        double[] terms = new double[n - k + 1];
        for (int x = k; x <= n; x++) {
            double term = logChoose(n, x) + x * logP + (n - x) * logQ;
            terms[x - k] = term;
            max = Math.max(max, term);
        }
        double sum = 0;
        for (double term : terms) sum += Math.exp(term - max);
        return Math.min(1, Math.exp(max) * sum);
    }

    /** Whether {@code fooled} of {@code sampled} is significantly above {@code p0} at {@code level}. */
    public static boolean rejects(int fooled, int sampled, double p0, double level) {
        return upperTail(fooled, sampled, p0) < level;
    }

    private static double logChoose(int n, int k) {
        return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
    }

    private static double logFactorial(int n) {
        double sum = 0;
        for (int i = 2; i <= n; i++) sum += Math.log(i);
        return sum;
    }
}
