package dev.bristle.ml.attack;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@link Square} over a pool of images in full batches (the sound protocol): every image carries its own state (its
 * best example, loss and margin, its query count and restart, its own random stream), and each step proposes one
 * square per image of a batch of up to {@code batchSize} open images, refilled from the pool as images are fooled or
 * run out of queries. So the passes run on full batches until fewer images than a batch remain, and an image's
 * result depends on the seed and its place in the data only, not on which images shared its batches. Unlike the
 * batch-at-a-time attack, each image draws its own window and signs (the batch shared them).
 */
final class SquarePool {

    private final Square square;
    private final AttackTarget target;
    private final NDManager manager;
    private final int batchSize;
    private final int channels;
    private final int height;
    private final int width;
    private final int imageLength;
    private final int classes;
    private final boolean targeted;

    /** One image's search. */
    private final class State {
        final int row;
        final float[] clean;
        final long aimed;
        final SplittableRandom random;
        float[] best;
        float loss;
        float margin;
        int query;
        int restart;
        /** The proposal of the current step; the first of a restart is its stripes start, taken whatever its loss. */
        float[] proposal;
        boolean starting = true;

        State(int row, float[] clean, long aimed, SplittableRandom random) {
            this.row = row;
            this.clean = clean;
            this.aimed = aimed;
            this.random = random;
        }

        void propose() {
            proposal = starting ? stripes() : window();
        }

        /** Vertical stripes of +-eps per channel and column. */
        private float[] stripes() {
            float e = (float) square.eps;
            float[] start = new float[imageLength];
            for (int c = 0; c < channels; c++) {
                for (int col = 0; col < width; col++) {
                    float sign = random.nextBoolean() ? e : -e;
                    for (int r = 0; r < height; r++) {
                        int at = (c * height + r) * width + col;
                        start[at] = Square.clamp(clean[at] + sign);
                    }
                }
            }
            return start;
        }

        /** The best example with one square window of +-2 eps per channel, projected onto the ball and the box. */
        private float[] window() {
            float e = (float) square.eps;
            int side = Math.max((int) Math.rint(Math.sqrt(square.fraction(query) * height * width)), 1);
            int top = height - side > 0 ? random.nextInt(height - side) : 0;
            int left = width - side > 0 ? random.nextInt(width - side) : 0;
            float[] next = best.clone();
            for (int c = 0; c < channels; c++) {
                float sign = random.nextBoolean() ? 2 * e : -2 * e;
                for (int r = top; r < top + side; r++) {
                    for (int col = left; col < left + side; col++) {
                        int at = (c * height + r) * width + col;
                        float value = Math.min(Math.max(next[at] + sign, clean[at] - e), clean[at] + e);
                        next[at] = Square.clamp(value);
                    }
                }
            }
            return next;
        }

        /** Takes the proposal's logits; returns whether the image stays in the search. */
        boolean take(float[] logits, int at) {
            float newMargin = Losses.margin(logits, at, aimed, classes, targeted);
            float newLoss = targeted ? Square.crossEntropy(logits, at, aimed, classes) : newMargin;
            if (starting) {
                best = proposal;
                loss = newLoss;
                margin = newMargin;
                starting = false;
            } else {
                boolean improved = newLoss < loss;
                if (improved) loss = newLoss;
                if (improved || newMargin <= 0) {
                    margin = newMargin;
                    best = proposal;
                }
                query++;
            }
            proposal = null;
            if (margin <= 0) return false;
            if (query < square.queries) return true;
            if (++restart >= square.restarts) return false;
            query = 0;
            starting = true;
            return true;
        }
    }

    SquarePool(Square square, AttackTarget target, NDManager manager, Shape imageShape, int batchSize,
               boolean targeted) {
        this.square = square;
        this.target = target;
        this.manager = manager;
        this.batchSize = batchSize;
        this.channels = (int) imageShape.get(0);
        this.height = (int) imageShape.get(1);
        this.width = (int) imageShape.get(2);
        this.imageLength = channels * height * width;
        this.classes = target.classes();
        this.targeted = targeted;
    }

    /**
     * The adversarial examples of {@code x} (n images, flat; {@code aimed}: labels, or targets when targeted): each
     * fooled image's best example, the clean image where the search failed or the model already errs.
     */
    float[] run(float[] x, long[] aimed, long seed) {
        int n = aimed.length;
        float[] adversarial = x.clone();
        Deque<State> pool = new ArrayDeque<>();
        for (int start = 0; start < n; start += batchSize) {
            int count = Math.min(batchSize, n - start);
            int[] rows = new int[count];
            for (int r = 0; r < count; r++) rows[r] = start + r;
            float[] logits = logits(java.util.Arrays.copyOfRange(x, start * imageLength, (start + count) * imageLength),
                    rows);
            for (int r = 0; r < count; r++) {
                int i = start + r;
                if (Square.fooled(logits, r, aimed[i], classes, targeted)) continue;
                float[] clean = java.util.Arrays.copyOfRange(x, i * imageLength, (i + 1) * imageLength);
                pool.add(new State(i, clean, aimed[i], new SplittableRandom(seed + 0x9E3779B97F4A7C15L * (i + 1))));
            }
        }
        List<State> open = new ArrayList<>();
        while (!pool.isEmpty() || !open.isEmpty()) {
            while (open.size() < batchSize && !pool.isEmpty()) open.add(pool.poll());
            int m = open.size();
            float[] proposals = new float[m * imageLength];
            int[] rows = new int[m];
            for (int a = 0; a < m; a++) {
                State s = open.get(a);
                s.propose();
                System.arraycopy(s.proposal, 0, proposals, a * imageLength, imageLength);
                rows[a] = s.row;
            }
            float[] logits = logits(proposals, rows);
            List<State> staying = new ArrayList<>(m);
            for (int a = 0; a < m; a++) {
                State s = open.get(a);
                if (s.take(logits, a)) {
                    staying.add(s);
                } else if (s.margin <= 0) {
                    System.arraycopy(s.best, 0, adversarial, s.row * imageLength, imageLength);
                }
            }
            open = staying;
        }
        return adversarial;
    }

    private float[] logits(float[] images, int[] rows) {
        try (NDManager query = manager.newSubManager()) {
            return target.logits(query.create(images, new Shape(rows.length, channels, height, width)), rows)
                    .toFloatArray();
        }
    }
}
