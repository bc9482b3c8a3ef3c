package dev.bristle.ml.train;

import dev.bristle.ml.torch.HostTensor;

import java.util.LinkedHashMap;
import java.util.function.Supplier;

/**
 * The weights of a student's epoch with the best held-out accuracy so far, and which weights its training run
 * returns: those under {@link StudentSelection#BEST_ON_HELD_OUT} once an epoch was kept, the last ones otherwise.
 */
final class BestEpoch {

    private LinkedHashMap<String, HostTensor> weights;
    private int epoch = -1;
    private double accuracy = Double.NEGATIVE_INFINITY;

    /** Whether {@code heldOut} beats every epoch kept so far. */
    boolean improvedBy(double heldOut) {
        return heldOut > accuracy;
    }

    void keep(int epoch, double heldOut, LinkedHashMap<String, HostTensor> weights) {
        this.accuracy = heldOut;
        this.epoch = epoch;
        this.weights = weights;
    }

    private boolean selected(StudentSelection selection) {
        return selection == StudentSelection.BEST_ON_HELD_OUT && weights != null;
    }

    /** The weights the run returns; {@code last} is asked for only when they are the last epoch's. */
    LinkedHashMap<String, HostTensor> weights(StudentSelection selection,
                                              Supplier<LinkedHashMap<String, HostTensor>> last) {
        return selected(selection) ? weights : last.get();
    }

    /** The epoch whose weights the run returns. */
    int epoch(StudentSelection selection, int lastEpoch) {
        return selected(selection) ? epoch : lastEpoch;
    }
}
