package dev.bristle.ml.score;

import dev.bristle.ml.metrics.ImageResults;
import dev.bristle.ml.metrics.Measurement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Joins the measured shards of one attack run into its measurement of the whole test set, whatever order they were
 * measured in: per-image results laid end to end in image order, and every figure computed from them as for a run
 * that was never split (accuracy from the correctness, passes per image from each image's passes, wall time summed).
 */
public final class ShardMerge {

    private ShardMerge() {
    }

    /**
     * @param shards every shard of the run, in any order; they must cover images 0 to {@code images - 1} exactly
     * @param images the test images the run covers
     */
    public static Measurement merge(List<TestShard.Measured> shards, int images) {
        List<TestShard.Measured> ordered = new ArrayList<>(shards);
        ordered.sort(Comparator.comparingInt(m -> m.shard().start()));
        requireTiling(ordered, images);
        StringBuilder correct = new StringBuilder(images);
        int[] prediction = new int[images];
        int[] passes = new int[images];
        double[] norm = ordered.stream().allMatch(m -> m.measurement().images().norm() != null)
                ? new double[images] : null;
        Double seconds = 0.0;
        TreeSet<Integer> batchSizes = new TreeSet<>();
        boolean batchesKnown = false;
        for (TestShard.Measured shard : ordered) {
            Measurement m = shard.measurement();
            int start = shard.shard().start();
            correct.append(m.correct());
            System.arraycopy(m.images().prediction(), 0, prediction, start, m.images().prediction().length);
            System.arraycopy(m.images().passes(), 0, passes, start, m.images().passes().length);
            if (norm != null) System.arraycopy(m.images().norm(), 0, norm, start, m.images().norm().length);
            seconds = seconds == null || m.seconds() == null ? null : seconds + m.seconds();
            if (m.batchSizes() != null) {
                batchSizes.addAll(m.batchSizes());
                batchesKnown = true;
            }
        }
        long passSum = 0;
        int ones = 0;
        for (int i = 0; i < images; i++) {
            passSum += passes[i];
            if (correct.charAt(i) == '1') ones++;
        }
        return new Measurement(ordered.get(0).measurement().attack(), 100.0 * ones / images, seconds,
                (double) passSum / images, correct.toString(), new ImageResults(prediction, passes, norm),
                batchesKnown ? List.copyOf(batchSizes) : null);
    }

    /** The shards, ordered by their first image, must cover the images end to end, each with its per-image results. */
    private static void requireTiling(List<TestShard.Measured> ordered, int images) {
        int next = 0;
        for (TestShard.Measured shard : ordered) {
            if (shard.shard().start() != next) {
                throw new IllegalStateException("the shards of " + shard.measurement().attack() + " leave a gap or"
                        + " overlap at image " + next + " (the next starts at image " + shard.shard().start() + ")");
            }
            if (shard.measurement().images() == null) {
                throw new IllegalStateException(shard.measurement().attack() + ": shard " + shard.shard().describe()
                        + " has no per-image results");
            }
            next = shard.shard().end();
        }
        if (next != images) {
            throw new IllegalStateException("the shards " + (ordered.isEmpty() ? "of an attack run are missing"
                    : "of " + ordered.get(0).measurement().attack() + " cover " + next + " of " + images + " images"));
        }
    }
}
