package dev.bristle.ml.score;

import dev.bristle.ml.attack.AttackSuite;
import dev.bristle.ml.data.ImageSet;
import dev.bristle.ml.metrics.Measurement;

import java.util.ArrayList;
import java.util.List;

/**
 * A shard of the test images, images {@code start} to {@code start + count - 1}: what one attack task of a job covers.
 * A shard starts on a batch boundary of the attack suite ({@link AttackSuite#DEFAULT_BATCH_SIZE}, the reference's
 * 256), so its batches are the batches of a run over the whole set and each is seeded as that run seeds it: a
 * sharded run gives, image for image, what an unsharded one gives, except where the sound protocol pools an attack's
 * batches ({@link dev.bristle.ml.attack.PooledAttack}), which pool within the shard, seeded as its first batch.
 */
public record TestShard(int start, int count) {

    /** Images per batch of every attack run; shards start on a multiple of it. */
    public static final int BATCH = AttackSuite.DEFAULT_BATCH_SIZE;

    public TestShard {
        if (start < 0 || count < 1 || start % BATCH != 0) {
            throw new IllegalArgumentException("a shard starts on a batch of " + BATCH + " images and holds one at"
                    + " least, not " + count + " from image " + start);
        }
    }

    /** One measured shard of an attack run. */
    public record Measured(TestShard shard, Measurement measurement) {

        public Measured {
            if (measurement.correct() == null || measurement.correct().length() != shard.count()) {
                throw new IllegalArgumentException(measurement.attack() + ": a shard's measurement needs the"
                        + " correctness of each of its " + shard.count() + " images");
            }
        }
    }

    /** The whole set of {@code images} test images as one shard. */
    public static TestShard all(int images) {
        return new TestShard(0, images);
    }

    /** {@code requested} images per shard rounded up to whole batches, so every shard starts on a batch boundary. */
    public static int roundedSize(int requested) {
        if (requested < 1) throw new IllegalArgumentException("a shard holds one image at least, not " + requested);
        return (int) Math.min((requested + (long) BATCH - 1) / BATCH * BATCH, Integer.MAX_VALUE / BATCH * BATCH);
    }

    /** {@code images} test images in shards of {@code requested} images ({@link #roundedSize rounded}), the last shorter. */
    public static List<TestShard> split(int images, int requested) {
        int size = roundedSize(requested);
        List<TestShard> shards = new ArrayList<>();
        for (int start = 0; start < images; start += size) shards.add(new TestShard(start, Math.min(size, images - start)));
        return shards;
    }

    /** This shard within a test set of {@code images} images: cut at its end; empty when it starts past the end. */
    public java.util.Optional<TestShard> within(int images) {
        return start >= images ? java.util.Optional.empty()
                : java.util.Optional.of(new TestShard(start, Math.min(count, images - start)));
    }

    /** The batch of the whole test set this shard starts. */
    public int firstBatch() {
        return start / BATCH;
    }

    public int end() {
        return start + count;
    }

    /** The shard's images of the whole test set {@code images}. */
    public ImageSet of(ImageSet images) {
        return images.slice(start, count);
    }

    /** "images 1 to 1,024", as people count. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "images %,d to %,d", start + 1, end());
    }
}
