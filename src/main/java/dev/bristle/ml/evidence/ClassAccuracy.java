package dev.bristle.ml.evidence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Accuracy per class and the class-wise fairness figures studies of fairness on distilled data report: the worst
 * class, the best-minus-worst gap and the standard deviation across classes. Classes without a test image have no
 * accuracy (null) and take no part in the figures.
 *
 * @param accuracy   accuracy in percent per class, in class order; null for a class without images
 * @param images     test images per class
 * @param worstClass the class with the lowest accuracy (the lowest index on ties); null without images
 * @param worst      its accuracy
 * @param bestClass  the class with the highest accuracy (the lowest index on ties)
 * @param best       its accuracy
 * @param gap        best minus worst, in points
 * @param std        population standard deviation of the class accuracies, in points
 */
public record ClassAccuracy(List<Double> accuracy, List<Integer> images, Integer worstClass, Double worst,
                            Integer bestClass, Double best, Double gap, Double std) {

    public ClassAccuracy {
        accuracy = Collections.unmodifiableList(new ArrayList<>(accuracy));
        images = List.copyOf(images);
    }

    /**
     * @param labels  true class per image
     * @param correct '1' per image classified correctly, '0' otherwise, in the order of {@code labels}
     * @param classes the class count
     */
    public static ClassAccuracy of(int[] labels, String correct, int classes) {
        if (correct.length() != labels.length) {
            throw new IllegalArgumentException("per-image results of " + correct.length() + " images for "
                    + labels.length + " labels");
        }
        int[] images = new int[classes];
        int[] right = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            images[labels[i]]++;
            if (correct.charAt(i) == '1') right[labels[i]]++;
        }
        List<Double> accuracy = new ArrayList<>(classes);
        List<Integer> counts = new ArrayList<>(classes);
        for (int c = 0; c < classes; c++) {
            counts.add(images[c]);
            accuracy.add(images[c] == 0 ? null : 100.0 * right[c] / images[c]);
        }
        ClassFairness f = ClassFairness.of(accuracy);
        return new ClassAccuracy(accuracy, counts, f.worstClass(), f.worst(), f.bestClass(), f.best(), f.gap(), f.std());
    }
}
