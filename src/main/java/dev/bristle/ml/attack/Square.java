package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Square attack in L-inf (Andriushchenko et al. 2020), a score-based black-box random search, as torchattacks runs it:
 * starts from vertical stripes of +-eps, then each query proposes one square window (side from the p schedule) of
 * +-2 eps per channel at a random place, projects onto the eps-ball and the box, and keeps the proposal when it
 * lowers the loss (margin loss untargeted; cross-entropy to the target when targeted) or misclassifies. Only samples
 * the model classifies correctly (targeted: not as the target) are attacked; a sample stops once it is fooled.
 * The window's place and signs are shared by the batch at each query, as in torchattacks.
 */
public final class Square extends BudgetedAttack implements PooledAttack {

    final int queries;
    private final double pInit;
    private final boolean rescaleSchedule;
    final int restarts;

    /**
     * @param rescaleSchedule stretch the p schedule (written for 10,000 queries) to {@code queries}, as torchattacks
     *                        does by default; the authors' standard AutoAttack runs without it
     */
    public Square(double eps, int queries, double pInit, boolean rescaleSchedule, int restarts) {
        super(Norm.LINF, eps);
        requirePositive("Square", "queries", queries, "restarts", restarts);
        this.queries = queries;
        this.pInit = pInit;
        this.rescaleSchedule = rescaleSchedule;
        this.restarts = restarts;
    }

    @Override
    public String name() {
        return "Square";
    }

    @Override
    protected void putSettings(Map<String, Object> map) {
        map.put("queries", queries);
        map.put("pInit", pInit);
        map.put("loss", "margin (targeted: cross-entropy)");
        map.put("rescaleSchedule", rescaleSchedule);
        map.put("restarts", restarts);
    }

    @Override
    public boolean supportsTargeted() {
        return true;
    }

    @Override
    public AttackBatch run(AttackTarget target, NDArray images, NDArray labels, NDArray targets, long seed) {
        NDManager batch = images.getManager();
        Shape shape = images.getShape();
        int n = (int) shape.get(0);
        int channels = (int) shape.get(1);
        int height = (int) shape.get(2);
        int width = (int) shape.get(3);
        int imageLength = channels * height * width;
        float[] x = images.toFloatArray();
        long[] aimed = (targets == null ? labels : targets).toLongArray();
        boolean targeted = targets != null;
        int classes = target.classes();
        float[] adversarial = x.clone();
        float[] logits = logits(target, batch, x, allRows(n), shape);
        boolean[] open = new boolean[n];
        for (int i = 0; i < n; i++) open[i] = !fooled(logits, i, aimed[i], classes, targeted);
        SplittableRandom random = new SplittableRandom(seed);
        for (int restart = 0; restart < restarts; restart++) {
            int[] rows = java.util.stream.IntStream.range(0, n).filter(i -> open[i]).toArray();
            if (rows.length == 0) break;
            int m = rows.length;
            float[] clean = new float[m * imageLength];
            for (int r = 0; r < m; r++) System.arraycopy(x, rows[r] * imageLength, clean, r * imageLength, imageLength);
            float[] best = stripes(clean, m, shape, random);
            float[] bestLogits = logits(target, batch, best, rows, new Shape(m, channels, height, width));
            float[] margin = new float[m];
            float[] loss = new float[m];
            for (int r = 0; r < m; r++) {
                margin[r] = Losses.margin(bestLogits, r, aimed[rows[r]], classes, targeted);
                loss[r] = targeted ? crossEntropy(bestLogits, r, aimed[rows[r]], classes) : margin[r];
            }
            for (int query = 0; query < queries; query++) {
                int[] active = java.util.stream.IntStream.range(0, m).filter(r -> margin[r] > 0).toArray();
                if (active.length == 0) break;
                float[] proposal = window(best, clean, active, shape, query, random);
                int[] activeRows = new int[active.length];
                for (int a = 0; a < active.length; a++) activeRows[a] = rows[active[a]];
                float[] proposalLogits = logits(target, batch, proposal, activeRows,
                        new Shape(active.length, channels, height, width));
                for (int a = 0; a < active.length; a++) {
                    int r = active[a];
                    float newMargin = Losses.margin(proposalLogits, a, aimed[rows[r]], classes, targeted);
                    float newLoss = targeted ? crossEntropy(proposalLogits, a, aimed[rows[r]], classes) : newMargin;
                    boolean improved = newLoss < loss[r];
                    if (improved) loss[r] = newLoss;
                    if (improved || newMargin <= 0) {
                        margin[r] = newMargin;
                        System.arraycopy(proposal, a * imageLength, best, r * imageLength, imageLength);
                    }
                }
            }
            keepFooled(target, batch, best, rows, new Shape(m, channels, height, width), aimed, targeted, open,
                    adversarial);
        }
        return new AttackBatch(batch.create(adversarial, shape));
    }

    /** Writes the examples of {@code rows} that fool the model into {@code adversarial} and closes those rows. */
    private static void keepFooled(AttackTarget target, NDManager batch, float[] best, int[] rows, Shape shape,
                                   long[] aimed, boolean targeted, boolean[] open, float[] adversarial) {
        int m = rows.length;
        int imageLength = (int) (shape.size() / m);
        float[] finalLogits = logits(target, batch, best, rows, shape);
        for (int r = 0; r < m; r++) {
            if (fooled(finalLogits, r, aimed[rows[r]], target.classes(), targeted)) {
                open[rows[r]] = false;
                System.arraycopy(best, r * imageLength, adversarial, rows[r] * imageLength, imageLength);
            }
        }
    }

    /** Each sample's start: its clean image with vertical stripes of +-eps per channel and column. */
    private float[] stripes(float[] clean, int m, Shape shape, SplittableRandom random) {
        int channels = (int) shape.get(1);
        int height = (int) shape.get(2);
        int width = (int) shape.get(3);
        int imageLength = channels * height * width;
        float e = (float) eps;
        float[] best = new float[m * imageLength];
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < channels; c++) {
                for (int col = 0; col < width; col++) {
                    float sign = random.nextBoolean() ? e : -e;
                    for (int row = 0; row < height; row++) {
                        int at = r * imageLength + (c * height + row) * width + col;
                        best[at] = clamp(clean[at] + sign);
                    }
                }
            }
        }
        return best;
    }

    /**
     * The proposals of the {@code active} samples at query {@code query}: each one's best example with one square
     * window, drawn for the whole batch, of +-2 eps per channel, projected onto the ball and the box.
     */
    private float[] window(float[] best, float[] clean, int[] active, Shape shape, int query,
                           SplittableRandom random) {
        int channels = (int) shape.get(1);
        int height = (int) shape.get(2);
        int width = (int) shape.get(3);
        int imageLength = channels * height * width;
        float e = (float) eps;
        double p = fraction(query);
        int side = Math.max((int) Math.rint(Math.sqrt(p * height * width)), 1);
        int top = height - side > 0 ? random.nextInt(height - side) : 0;
        int left = width - side > 0 ? random.nextInt(width - side) : 0;
        float[] channelSign = new float[channels];
        for (int c = 0; c < channels; c++) channelSign[c] = random.nextBoolean() ? 2 * e : -2 * e;
        float[] proposal = new float[active.length * imageLength];
        for (int a = 0; a < active.length; a++) {
            int r = active[a];
            System.arraycopy(best, r * imageLength, proposal, a * imageLength, imageLength);
            for (int c = 0; c < channels; c++) {
                for (int row = top; row < top + side; row++) {
                    for (int col = left; col < left + side; col++) {
                        int offset = (c * height + row) * width + col;
                        float value = proposal[a * imageLength + offset] + channelSign[c];
                        float center = clean[r * imageLength + offset];
                        value = Math.min(Math.max(value, center - e), center + e);
                        proposal[a * imageLength + offset] = clamp(value);
                    }
                }
            }
        }
        return proposal;
    }

    @Override
    public float[] runPooled(AttackTarget target, NDManager manager, float[] images, long[] labels, long[] targets,
                             long seed, int batchSize) {
        Shape imageShape = target.model().network().inputShape(1).slice(1);
        return new SquarePool(this, target, manager, imageShape, batchSize, targets != null)
                .run(images, targets == null ? labels : targets, seed);
    }

    /** Share p of the image area a square covers at query {@code query}: p_init halved at fixed query counts. */
    double fraction(int query) {
        int it = rescaleSchedule ? (int) ((double) query / queries * 10000) : query;
        int[] bounds = {10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000};
        double p = pInit;
        for (int bound : bounds) {
            if (it > bound) p /= 2;
        }
        return p;
    }

    static float clamp(float value) {
        return Math.min(Math.max(value, AttackTarget.BOX_LOWER), AttackTarget.BOX_UPPER);
    }

    private static float[] logits(AttackTarget target, NDManager batch, float[] images, int[] rows, Shape shape) {
        try (NDManager query = batch.newSubManager()) {
            return target.logits(query.create(images, shape), rows).toFloatArray();
        }
    }

    private static int[] allRows(int n) {
        return java.util.stream.IntStream.range(0, n).toArray();
    }

    static float crossEntropy(float[] logits, int row, long aimed, int classes) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) max = Math.max(max, logits[row * classes + k]);
        double sum = 0;
        for (int k = 0; k < classes; k++) sum += Math.exp(logits[row * classes + k] - max);
        return (float) (max + Math.log(sum) - logits[row * classes + (int) aimed]);
    }

    static boolean fooled(float[] logits, int row, long aimed, int classes, boolean targeted) {
        int predicted = 0;
        for (int k = 1; k < classes; k++) if (logits[row * classes + k] > logits[row * classes + predicted]) predicted = k;
        return targeted ? predicted == aimed : predicted != aimed;
    }
}
