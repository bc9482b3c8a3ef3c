package dev.bristle.ml.evidence;

/**
 * A metric with its uncertainty.
 *
 * @param value      the metric over all students and images; null when undefined
 * @param studentStd sample standard deviation of the metric computed per student; null with fewer than two
 * @param low        2.5th percentile of the bootstrap distribution; null when no resample defined it
 * @param high       97.5th percentile
 */
public record Estimate(Double value, Double studentStd, Double low, Double high) {
}
