package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Targeted Fast Adaptive Boundary attack (FAB-T) in L-inf (Croce and Hein 2020), as torchattacks and the authors run
 * it inside AutoAttack: each step linearizes the classifier, projects both the current iterate and the clean image
 * onto the linearized decision boundary towards the aimed class (exact L-inf projection onto a hyperplane within the
 * box), moves to a convex combination of the two (weight at most alpha_max on the clean side) with overshoot eta, and
 * after each success steps back towards the clean image by beta; the kept result is the adversarial iterate of
 * smallest L-inf distance, accepted only within eps. The aimed classes are the most likely wrong ones of the clean
 * image, each in turn. Only correctly classified samples are attacked; the restarts after the first start at random.
 */
public final class Fab extends BudgetedAttack {

    private static final double NOT_FOUND = 1e10;
    /** Images per gradient call, which bounds the memory of its graph. */
    private static final int MAX_GRADIENT_ROWS = 640;

    private final int steps;
    private final int restarts;
    private final double alphaMax;
    private final double eta;
    private final double beta;
    private final int targetClasses;

    /** @param targetClasses how many of the most likely wrong classes it aims at, one after another */
    public Fab(double eps, int steps, int restarts, double alphaMax, double eta, double beta, int targetClasses) {
        super(Norm.LINF, eps);
        requirePositive("FAB-T", "steps", steps, "restarts", restarts);
        if (targetClasses < 1) throw new IllegalArgumentException("FAB-T needs at least one target class");
        this.steps = steps;
        this.restarts = restarts;
        this.alphaMax = alphaMax;
        this.eta = eta;
        this.beta = beta;
        this.targetClasses = targetClasses;
    }

    @Override
    public String name() {
        return "FAB-T";
    }

    @Override
    protected void putSettings(Map<String, Object> map) {
        map.put("steps", steps);
        map.put("restarts", restarts);
        map.put("alphaMax", alphaMax);
        map.put("eta", eta);
        map.put("beta", beta);
        map.put("targetClasses", targetClasses);
    }

    /** FAB-T picks its own targets; it is not a targeted attack in BEARD's sense. */
    @Override
    public boolean supportsTargeted() {
        return false;
    }

    @Override
    public AttackBatch run(AttackTarget target, NDArray images, NDArray labels, NDArray targets, long seed) {
        if (targets != null) throw new IllegalArgumentException(name() + " chooses its own targets");
        NDManager batch = images.getManager();
        Shape shape = images.getShape();
        int n = (int) shape.get(0);
        int length = (int) (shape.size() / n);
        int classes = target.classes();
        float[] x = images.toFloatArray();
        long[] y = labels.toLongArray();
        float[] result = x.clone();
        float[] cleanLogits = logits(target, batch, x, identity(n), shape, n);
        boolean[] correct = new boolean[n];
        for (int i = 0; i < n; i++) correct[i] = argMax(cleanLogits, i, classes) == y[i];
        SplittableRandom random = new SplittableRandom(seed);
        int rounds = Math.min(targetClasses, classes - 1);
        for (int round = 0; round < rounds; round++) {
            for (int restart = 0; restart < restarts; restart++) {
                int[] rows = java.util.stream.IntStream.range(0, n).filter(i -> correct[i]).toArray();
                if (rows.length == 0) break;
                int[] aimed = new int[rows.length];
                for (int r = 0; r < rows.length; r++) aimed[r] = rank(cleanLogits, rows[r], classes)[round + 1];
                singleRun(target, batch, x, y, rows, aimed, restart > 0, random, length, shape, correct, result);
            }
        }
        return new AttackBatch(batch.create(result, shape));
    }

    private void singleRun(AttackTarget target, NDManager batch, float[] x, long[] y, int[] rows, int[] aimed,
                           boolean randomStart, SplittableRandom random, int length, Shape shape, boolean[] correct,
                           float[] result) {
        int m = rows.length;
        int classes = target.classes();
        double[] best = new double[m];
        Arrays.fill(best, NOT_FOUND);
        float[] clean = new float[m * length];
        for (int r = 0; r < m; r++) System.arraycopy(x, rows[r] * length, clean, r * length, length);
        float[] found = clean.clone();
        float[] current = clean.clone();
        if (randomStart) randomStart(current, clean, best, random, length);
        boolean stopsOnSuccess = target.protocol().stopsOnSuccess();
        for (int step = 0; step < steps; step++) {
            // The rows still searched: all of them, or (stopping on success) those without an adversarial within eps.
            int[] live = java.util.stream.IntStream.range(0, m).filter(r -> !stopsOnSuccess || best[r] > eps).toArray();
            if (live.length == 0) break;
            int l = live.length;
            float[] liveCurrent = l == m ? current : new float[l * length];
            int[] liveRows = new int[l];
            int[] liveAimed = new int[l];
            for (int i = 0; i < l; i++) {
                if (l != m) System.arraycopy(current, live[i] * length, liveCurrent, i * length, length);
                liveRows[i] = rows[live[i]];
                liveAimed[i] = aimed[live[i]];
            }
            double[][] hyperplane = new double[l][];
            double[] offsets = new double[l];
            boundaries(target, batch, liveCurrent, liveRows, y, liveAimed, classes, length, shape, hyperplane, offsets);
            float[] next = current.clone();
            float[] liveNext = new float[l * length];
            for (int i = 0; i < l; i++) move(current, clean, live[i], hyperplane[i], offsets[i], liveNext, i, length);
            float[] nextLogits = logits(target, batch, liveNext, liveRows, shape, l);
            for (int i = 0; i < l; i++) {
                int r = live[i];
                if (argMax(nextLogits, i, classes) != y[rows[r]]) {
                    double distance = 0;
                    for (int j = 0; j < length; j++) {
                        distance = Math.max(distance, Math.abs(liveNext[i * length + j] - clean[r * length + j]));
                    }
                    if (distance < best[r]) {
                        best[r] = distance;
                        System.arraycopy(liveNext, i * length, found, r * length, length);
                    }
                    for (int j = 0; j < length; j++) {
                        float c = clean[r * length + j];
                        liveNext[i * length + j] = (float) (c + (liveNext[i * length + j] - c) * beta);
                    }
                }
                System.arraycopy(liveNext, i * length, next, r * length, length);
            }
            current = next;
        }
        keepFound(target, batch, found, best, rows, y, shape, correct, result);
    }

    /** Writes each sample's adversarial found within eps that the model still gets wrong, and clears its flag. */
    private void keepFound(AttackTarget target, NDManager batch, float[] found, double[] best, int[] rows, long[] y,
                           Shape shape, boolean[] correct, float[] result) {
        int m = rows.length;
        int length = found.length / m;
        float[] foundLogits = logits(target, batch, found, rows, shape, m);
        for (int r = 0; r < m; r++) {
            boolean fooled = argMax(foundLogits, r, target.classes()) != y[rows[r]];
            if (best[r] < NOT_FOUND && fooled && best[r] <= eps) {
                correct[rows[r]] = false;
                System.arraycopy(found, r * length, result, rows[r] * length, length);
            }
        }
    }

    /** Starts each sample at a uniform random point of half the L-inf ball (of eps or its best distance so far). */
    private void randomStart(float[] current, float[] clean, double[] best, SplittableRandom random, int length) {
        for (int r = 0; r < best.length; r++) {
            double[] t = new double[length];
            double max = 0;
            for (int i = 0; i < length; i++) {
                t[i] = 2 * random.nextDouble() - 1;
                max = Math.max(max, Math.abs(t[i]));
            }
            double radius = Math.min(best[r], eps) * 0.5 / max;
            for (int i = 0; i < length; i++) {
                current[r * length + i] = clamp(clean[r * length + i] + radius * t[i]);
            }
        }
    }

    /**
     * FAB's step for sample {@code r}: the projections of its iterate and of its clean image onto the boundary,
     * extrapolated by eta and mixed by alpha (biased towards the clean image), written to row {@code i} of
     * {@code next}.
     */
    private void move(float[] current, float[] clean, int r, double[] w, double offset, float[] next, int i,
                      int length) {
        double[] fromCurrent = new double[length];
        double[] fromClean = new double[length];
        for (int j = 0; j < length; j++) {
            fromCurrent[j] = current[r * length + j];
            fromClean[j] = clean[r * length + j];
        }
        double[] d1 = FabProjection.project(fromCurrent, w, offset);
        double[] d2 = FabProjection.project(fromClean, w, offset);
        double a1 = Math.max(linf(d1), 1e-8);
        double a2 = Math.max(linf(d2), 1e-8);
        double alpha = Math.min(Math.max(a1 / (a1 + a2), 0), alphaMax);
        for (int j = 0; j < length; j++) {
            double moved = (fromCurrent[j] + eta * d1[j]) * (1 - alpha) + (fromClean[j] + d2[j] * eta) * alpha;
            next[i * length + j] = clamp(moved);
        }
    }

    /**
     * The linearized boundary of each sample at {@code current} towards its aimed class: w, the gradient of the aimed
     * logit minus the label's (one backward pass), and b such that the boundary is w.x = b.
     */
    private void boundaries(AttackTarget target, NDManager batch, float[] current, int[] rows, long[] y, int[] aimed,
                            int classes, int length, Shape shape, double[][] hyperplane, double[] offsets) {
        int m = rows.length;
        for (int from = 0; from < m; from += MAX_GRADIENT_ROWS) {
            int count = Math.min(MAX_GRADIENT_ROWS, m - from);
            int[] passRows = Arrays.copyOfRange(rows, from, from + count);
            float[] logits;
            float[] gradient;
            try (NDManager step = batch.newSubManager()) {
                NDArray inputs = step.create(Arrays.copyOfRange(current, from * length, (from + count) * length),
                        new Shape(count, shape.get(1), shape.get(2), shape.get(3)));
                float[] weights = new float[count * classes];
                for (int r = 0; r < count; r++) {
                    weights[r * classes + aimed[from + r]] += 1f;
                    weights[r * classes + (int) y[passRows[r]]] -= 1f;
                }
                NDArray mask = step.create(weights, new Shape(count, classes));
                AttackTarget.Gradient g = target.gradient(step, inputs, passRows,
                        (out, input) -> out.mul(mask).sum(new int[] {1}));
                logits = g.logits().toFloatArray();
                gradient = g.gradient().toFloatArray();
            }
            for (int r = 0; r < count; r++) {
                int sample = from + r;
                int label = (int) y[rows[sample]];
                double gap = logits[r * classes + aimed[sample]] - logits[r * classes + label];
                double[] w = new double[length];
                double dot = 0;
                for (int i = 0; i < length; i++) {
                    w[i] = gradient[r * length + i];
                    dot += w[i] * current[sample * length + i];
                }
                hyperplane[sample] = w;
                offsets[sample] = -gap + dot;
            }
        }
    }

    private static double linf(double[] v) {
        double max = 0;
        for (double value : v) max = Math.max(max, Math.abs(value));
        return max;
    }

    private static float clamp(double value) {
        return (float) Math.min(Math.max(value, AttackTarget.BOX_LOWER), AttackTarget.BOX_UPPER);
    }

    private static float[] logits(AttackTarget target, NDManager batch, float[] images, int[] rows, Shape shape, int m) {
        try (NDManager query = batch.newSubManager()) {
            return target.logits(query.create(images, new Shape(m, shape.get(1), shape.get(2), shape.get(3))), rows)
                    .toFloatArray();
        }
    }

    private static int argMax(float[] logits, int row, int classes) {
        int best = 0;
        for (int k = 1; k < classes; k++) if (logits[row * classes + k] > logits[row * classes + best]) best = k;
        return best;
    }

    private static int[] rank(float[] logits, int row, int classes) {
        return java.util.stream.IntStream.range(0, classes).boxed()
                .sorted((p, q) -> Float.compare(logits[row * classes + q], logits[row * classes + p]))
                .mapToInt(Integer::intValue).toArray();
    }

    private static int[] identity(int n) {
        return java.util.stream.IntStream.range(0, n).toArray();
    }
}
