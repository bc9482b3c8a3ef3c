package dev.bristle.ml.attack;

import java.util.List;

/**
 * How many images have an input gradient of exactly zero at the clean point (the cross-entropy of their label, one
 * backward pass each): gradient-based attacks learn nothing on them, a sign of masked gradients (AutoAttack's check).
 *
 * @param images   images checked
 * @param zero     images whose gradient is zero in every input value
 * @param examples the first few such images (indices in data order), as evidence
 */
public record GradientCensus(int images, int zero, List<Integer> examples) {

    /** How many example indices a census keeps. */
    public static final int EXAMPLES = 10;

    public GradientCensus {
        examples = List.copyOf(examples);
    }

    /** Share of images with a zero gradient, in percent. */
    public double zeroPercent() {
        return images == 0 ? 0 : 100.0 * zero / images;
    }
}
