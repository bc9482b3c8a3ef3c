package dev.bristle.ml.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The distilled set split into images to train on and images held out for {@link StudentSelection#BEST_ON_HELD_OUT}.
 * When holding out would leave some class without a training image (IPC 1, or IPC at most the held-out count), nothing
 * is held out and the selection falls back to {@link StudentSelection#LAST_EPOCH}, with the reason in {@link #note}.
 */
record HeldOutSplit(TrainingImages train, TrainingImages heldOut, StudentSelection selection, String note) {

    static HeldOutSplit of(TrainingImages images, TrainingConfig config, SplittableRandom random) {
        if (config.selection() == StudentSelection.LAST_EPOCH) {
            return new HeldOutSplit(images, null, StudentSelection.LAST_EPOCH, "");
        }
        int perClass = config.heldOutPerClass();
        int[] counts = images.classCounts();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] <= perClass) {
                return new HeldOutSplit(images, null, StudentSelection.LAST_EPOCH, "best_on_held_out asked for "
                        + perClass + " held-out image(s) per class, but class " + c + " has only " + counts[c]
                        + " image(s) in " + images.source() + ": nothing can be held out, so the last epoch's weights"
                        + " were kept");
            }
        }
        // Per class, a random choice of perClass images is held out; the rest keep their order.
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) byClass.add(new ArrayList<>());
        for (int i = 0; i < images.count(); i++) byClass.get(images.labels()[i]).add(i);
        boolean[] held = new boolean[images.count()];
        for (List<Integer> members : byClass) {
            for (int k = 0; k < perClass; k++) {
                int pick = k + random.nextInt(members.size() - k);
                Integer chosen = members.get(pick);
                members.set(pick, members.get(k));
                members.set(k, chosen);
                held[chosen] = true;
            }
        }
        int heldCount = perClass * counts.length;
        int[] trainIndices = new int[images.count() - heldCount];
        int[] heldIndices = new int[heldCount];
        int t = 0;
        int h = 0;
        for (int i = 0; i < images.count(); i++) {
            if (held[i]) heldIndices[h++] = i;
            else trainIndices[t++] = i;
        }
        return new HeldOutSplit(images.subset(trainIndices, "training part"), images.subset(heldIndices, "held out"),
                StudentSelection.BEST_ON_HELD_OUT, "");
    }

    boolean isEmpty() {
        return heldOut == null;
    }

    int heldOutCount() {
        return heldOut == null ? 0 : heldOut.count();
    }
}
