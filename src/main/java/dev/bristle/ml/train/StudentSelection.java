package dev.bristle.ml.train;

import dev.bristle.input.InvalidInputException;

import java.util.Locale;

/** Which weights of a training run become the student. */
public enum StudentSelection {
    /** The weights after the last epoch: what BEARD's code keeps. */
    LAST_EPOCH,
    /**
     * The weights of the epoch with the best accuracy on images held out of the distilled set (what BEARD's paper
     * describes). Needs at least two images of every class; otherwise training falls back to {@link #LAST_EPOCH} and
     * the result says why.
     */
    BEST_ON_HELD_OUT;

    public static StudentSelection parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    "student selection must be one of last_epoch, best_on_held_out; found '" + text + "'", e);
        }
    }

    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
