package dev.bristle.ml.train;

import ai.djl.Device;
import dev.bristle.ml.nn.ConvNetSpec;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.torch.HostTensor;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * One trained student: its weights as a PyTorch state dict (for the model pool and for
 * {@link PixelSpaceModel#fromStateDict}), the normalization it was trained behind, and how it got there.
 *
 * @param index          student number within its run (0-based)
 * @param seed           the student's own seed, derived from the run's base seed
 * @param spec           the network's architecture
 * @param stateDict      the selected weights, under PyTorch's state-dict names
 * @param mean           per-channel mean of the normalization the network expects its input in
 * @param std            per-channel std of that normalization
 * @param curve          one record per completed epoch
 * @param selection      the selection actually applied (may be LAST_EPOCH although BEST_ON_HELD_OUT was asked for)
 * @param selectedEpoch  0-based epoch whose weights were kept; -1 when no epoch completed
 * @param selectionNote  why the selection differs from the one asked for; empty when it does not
 * @param trainingImages images the student trained on (after any held-out split)
 * @param heldOutImages  images held out for selection (0 when none)
 * @param completed      false when training was cancelled before the last epoch
 * @param seconds        wall time of training
 */
public record TrainedStudent(int index, long seed, ConvNetSpec spec, LinkedHashMap<String, HostTensor> stateDict,
                             float[] mean, float[] std, List<EpochRecord> curve, StudentSelection selection,
                             int selectedEpoch, String selectionNote, int trainingImages, int heldOutImages,
                             boolean completed, double seconds) {

    public TrainedStudent {
        curve = List.copyOf(curve);
    }

    /**
     * A model that takes pixel-space images ([0, 1]) and normalizes them as the student's training images were
     * normalized, so evaluation and attacks work on pixels. The caller closes it.
     */
    public PixelSpaceModel toPixelSpaceModel(Device device) {
        return PixelSpaceModel.fromStateDict(stateDict, spec.imageSize(), mean, std, device);
    }

    /** Seconds per completed epoch, NaN when none completed. */
    public double secondsPerEpoch() {
        return curve.isEmpty() ? Double.NaN : curve.stream().mapToDouble(EpochRecord::seconds).sum() / curve.size();
    }
}
