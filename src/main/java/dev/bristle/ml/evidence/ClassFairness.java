package dev.bristle.ml.evidence;

import dev.bristle.ml.metrics.Stats;

import java.util.List;
import java.util.Objects;

/**
 * The class-wise fairness figures of accuracies per class, one student's or a mean over students: the worst class,
 * the best class, the gap between them and the population standard deviation across the classes. Classes without an
 * accuracy (null: no test image) take no part.
 *
 * @param worstClass the class with the lowest accuracy (the lowest index on ties); null when no class has one
 * @param bestClass  the class with the highest accuracy (the lowest index on ties)
 * @param gap        best minus worst, in points
 * @param std        population standard deviation of the class accuracies, in points
 */
public record ClassFairness(Integer worstClass, Double worst, Integer bestClass, Double best, Double gap, Double std) {

    public static ClassFairness of(List<Double> accuracy) {
        Integer worstClass = null;
        Integer bestClass = null;
        for (int c = 0; c < accuracy.size(); c++) {
            Double value = accuracy.get(c);
            if (value == null) continue;
            if (worstClass == null || value < accuracy.get(worstClass)) worstClass = c;
            if (bestClass == null || value > accuracy.get(bestClass)) bestClass = c;
        }
        if (worstClass == null) return new ClassFairness(null, null, null, null, null, null);
        double[] known = accuracy.stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).toArray();
        double mean = Stats.mean(known);
        double squares = 0;
        for (double v : known) squares += (v - mean) * (v - mean);
        double worst = accuracy.get(worstClass);
        double best = accuracy.get(bestClass);
        return new ClassFairness(worstClass, worst, bestClass, best, best - worst, Math.sqrt(squares / known.length));
    }
}
