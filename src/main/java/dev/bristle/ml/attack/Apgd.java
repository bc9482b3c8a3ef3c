package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Auto-PGD in L-inf (Croce and Hein 2020), as torchattacks and the authors run it: momentum 0.75, step size 2 eps
 * halved at checkpoints where the loss oscillated or stopped improving (then restarting from the best point), keeping
 * each sample's first misclassified iterate. Untargeted it ascends the cross-entropy (APGD-CE); targeted (APGD-T) it
 * ascends the targeted DLR loss towards each of the {@code targetClasses} most likely wrong classes in turn, on the
 * samples still classified correctly. Only samples the model classifies correctly are attacked.
 */
public final class Apgd extends BudgetedAttack {

    /** The loss APGD ascends. */
    public enum Loss { CE, DLR_TARGETED }

    private static final float DLR_EPSILON = 1e-12f;
    private static final double MOMENTUM = 0.75;

    private final Loss loss;
    private final int steps;
    private final int restarts;
    private final double rho;
    private final int targetClasses;

    /**
     * @param targetClasses for APGD-T: how many of the most likely wrong classes of the clean image to aim at, one
     *                      after another (ignored for CE)
     */
    public Apgd(Loss loss, double eps, int steps, int restarts, double rho, int targetClasses) {
        super(Norm.LINF, eps);
        requirePositive("APGD", "steps", steps, "restarts", restarts);
        this.loss = loss;
        this.steps = steps;
        this.restarts = restarts;
        this.rho = rho;
        this.targetClasses = targetClasses;
    }

    @Override
    public String name() {
        return loss == Loss.CE ? "APGD-CE" : "APGD-T";
    }

    @Override
    protected void putSettings(Map<String, Object> map) {
        map.put("loss", loss == Loss.CE ? "ce" : "dlr-targeted");
        map.put("steps", steps);
        map.put("restarts", restarts);
        map.put("rho", rho);
        if (loss == Loss.DLR_TARGETED) map.put("targetClasses", targetClasses);
    }

    /** APGD-T picks its own targets (the most likely wrong classes); it is not a targeted attack in BEARD's sense. */
    @Override
    public boolean supportsTargeted() {
        return false;
    }

    @Override
    public AttackBatch run(AttackTarget target, NDArray images, NDArray labels, NDArray targets, long seed) {
        if (targets != null) throw new IllegalArgumentException(name() + " chooses its own targets");
        NDManager batch = images.getManager();
        int n = (int) images.getShape().get(0);
        int imageLength = (int) (images.getShape().size() / n);
        float[] x = images.toFloatArray();
        long[] y = labels.toLongArray();
        float[] adversarial = x.clone();
        boolean[] correct = new boolean[n];
        long[][] ranked;
        try (NDManager scoring = batch.newSubManager()) {
            NDArray logits = target.logits(Tensors.copyInto(images, scoring), null);
            long[] predicted = logits.argMax(1).toLongArray();
            for (int i = 0; i < n; i++) correct[i] = predicted[i] == y[i];
            ranked = rankClasses(logits.toFloatArray(), n, target.classes());
        }
        SplittableRandom random = new SplittableRandom(seed);
        int rounds = loss == Loss.CE ? 1 : Math.min(targetClasses, target.classes() - 1);
        for (int round = 0; round < rounds; round++) {
            for (int restart = 0; restart < restarts; restart++) {
                int[] rows = indices(correct);
                if (rows.length == 0) break;
                long[] aimed = null;
                if (loss == Loss.DLR_TARGETED) {
                    aimed = new long[rows.length];
                    // The (round + 2)-th most likely class of the clean image: the most likely one is the label.
                    for (int r = 0; r < rows.length; r++) aimed[r] = ranked[rows[r]][round + 1];
                }
                singleRun(target, batch, gather(x, rows, imageLength), gather(y, rows), aimed, rows,
                        random, correct, adversarial, imageLength);
            }
        }
        return new AttackBatch(batch.create(adversarial, images.getShape()));
    }

    /**
     * One APGD run on the samples {@code rows}: writes each sample's first misclassified iterate into
     * {@code adversarial} and clears its {@code correct} flag. Where the protocol stops on success, a sample leaves the
     * run at its first misclassified iterate.
     */
    private void singleRun(AttackTarget target, NDManager batch, float[] x, long[] y, long[] aimed, int[] rows,
                              SplittableRandom random, boolean[] correct, float[] adversarial, int imageLength) {
        int n = rows.length;
        Shape shape = new Shape(n, imageLength);
        // Per sample of this run.
        boolean[] stillCorrect = new boolean[n];
        try (NDManager run = batch.newSubManager()) {
            NDArray clean = run.create(x, shape);
            NDArray labelArray = run.create(y);
            Survivors open = new Survivors(target, clean, labelArray, null);
            Iterates it = new Iterates();
            it.aimed = aimed == null ? null : run.create(aimed);
            NDArray start = RandomArrays.uniform(run, random, shape, -1, 1);
            NDArray startMax = start.abs().max(new int[] {1}, true);
            it.current = start.div(startMax).mul((float) eps).add(clean).clip(0f, 1f);
            it.best = it.current;
            it.bestAdversarial = it.current;
            Evaluation first = evaluate(target, run, it.current, labelArray, it.aimed, rows);
            it.gradient = first.gradient;
            it.bestGradient = it.gradient;
            // Per open sample (row r of its arrays is sample open.rows()[r] of this run).
            ApgdSchedule schedule = new ApgdSchedule(steps, (float) (2 * eps), first.loss);
            for (int i = 0; i < n; i++) stillCorrect[i] = first.predicted[i] == y[i];
            it.previous = it.current;
            it.lower = clean.sub((float) eps);
            it.upper = clean.add((float) eps);
            if (open.retireFooled(first.logits, it.current)) {
                it.keep(open, false);
                schedule.keep(open);
            }
            for (int i = 0; i < steps && !open.isEmpty(); i++) {
                step(target, run, open, it, schedule, y, rows, stillCorrect, i);
            }
            float[] found = open.result(it.bestAdversarial).toFloatArray();
            for (int r = 0; r < n; r++) {
                if (!stillCorrect[r]) {
                    correct[rows[r]] = false;
                    System.arraycopy(found, r * imageLength, adversarial, rows[r] * imageLength, imageLength);
                }
            }
        }
    }

    /**
     * Step {@code i} of a run: the momentum step from the current iterate, clipped to the ball and the box; the best
     * and first misclassified iterates kept; at a checkpoint, the step halved (and the iterate reset to the best) for
     * the samples whose loss oscillated or stalled; fooled samples retired.
     */
    private void step(AttackTarget target, NDManager run, Survivors open, Iterates it, ApgdSchedule schedule, long[] y,
                      int[] rows, boolean[] stillCorrect, int i) {
        int m = open.rows().length;
        int[] batchRows = new int[m];
        for (int r = 0; r < m; r++) batchRows[r] = rows[open.rows()[r]];
        try (NDManager step = run.newSubManager()) {
            NDArray momentumTerm = Tensors.copyInto(it.current, step).sub(it.previous);
            float a = i > 0 ? (float) MOMENTUM : 1f;
            NDArray sizes = step.create(schedule.stepSize, new Shape(m, 1));
            NDArray plain = Tensors.copyInto(it.gradient, step).sign().mul(sizes).add(it.current).maximum(it.lower).minimum(it.upper).clip(0f, 1f);
            NDArray next = plain.sub(it.current).mul(a).add(it.current).add(momentumTerm.mul(1 - a))
                    .maximum(it.lower).minimum(it.upper).clip(0f, 1f);
            Evaluation e = evaluate(target, step, next, open.labels(), it.aimed, batchRows);
            boolean[] misclassified = new boolean[m];
            for (int s = 0; s < m; s++) {
                misclassified[s] = e.predicted[s] != y[open.rows()[s]];
                if (misclassified[s]) stillCorrect[open.rows()[s]] = false;
            }
            boolean[] improved = schedule.record(i, e.loss);
            NDArray misclassifiedMask = step.create(misclassified);
            NDArray improvedMask = step.create(improved);
            NDArray nextBestAdversarial = Tensors.choose(misclassifiedMask, next, it.bestAdversarial);
            NDArray nextBest = Tensors.choose(improvedMask, next, it.best);
            NDArray nextBestGradient = Tensors.choose(improvedMask, e.gradient, it.bestGradient);
            NDArray nextGradient = e.gradient;
            NDArray nextCurrent = next;
            boolean[] reduce = schedule.checkpoint(i, rho);
            if (reduce != null) {
                NDArray reduceMask = step.create(reduce);
                nextCurrent = Tensors.choose(reduceMask, nextBest, next);
                nextGradient = Tensors.choose(reduceMask, nextBestGradient, e.gradient);
            }
            it.advance(run, nextCurrent, nextGradient, nextBest, nextBestGradient, nextBestAdversarial);
            if (open.retireFooled(e.logits, next)) {
                it.keep(open, true);
                schedule.keep(open);
            }
        }
    }

    /**
     * The open rows of each array (null stays null); an array that appears under several names is compacted once,
     * so the names still share it.
     */
    private static NDArray[] keep(Survivors open, NDArray... arrays) {
        Map<NDArray, NDArray> compacted = new IdentityHashMap<>();
        NDArray[] result = new NDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            if (arrays[i] != null) result[i] = compacted.computeIfAbsent(arrays[i], open::keep);
        }
        return result;
    }

    /** Closes each of {@code arrays} (once, even when named twice) that is not among {@code keep}. */
    private static void closeAllBut(List<NDArray> keep, NDArray... arrays) {
        Set<NDArray> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(keep);
        for (NDArray old : arrays) {
            if (old != null && !kept.contains(old) && !old.isReleased()) old.close();
        }
    }

    /**
     * A run's arrays, row for row over its open samples: the previous and current iterates and the gradient at the
     * current one, the best iterate (highest objective) with its gradient, the first misclassified iterate, the
     * ball's bounds and the aimed classes (null for CE). Several names may share one array.
     */
    private static final class Iterates {
        NDArray previous;
        NDArray current;
        NDArray gradient;
        NDArray best;
        NDArray bestGradient;
        NDArray bestAdversarial;
        NDArray lower;
        NDArray upper;
        NDArray aimed;

        /** Moves to the next step's arrays, freeing the previous iterate's arrays that nothing refers to any more. */
        void advance(NDManager run, NDArray nextCurrent, NDArray nextGradient, NDArray nextBest,
                     NDArray nextBestGradient, NDArray nextBestAdversarial) {
            NDArray[] kept = {current, nextCurrent, nextGradient, nextBest, nextBestGradient, nextBestAdversarial};
            for (NDArray array : kept) array.attach(run);
            closeAllBut(List.of(kept), previous, current, gradient, best, bestGradient, bestAdversarial);
            previous = current;
            current = nextCurrent;
            gradient = nextGradient;
            best = nextBest;
            bestGradient = nextBestGradient;
            bestAdversarial = nextBestAdversarial;
        }

        /** Keeps the open rows after {@code open} retired samples, closing the arrays replaced if {@code close}. */
        void keep(Survivors open, boolean close) {
            NDArray[] compacted = Apgd.keep(open, previous, current, gradient, best, bestGradient, bestAdversarial,
                    lower, upper, aimed);
            if (close) {
                closeAllBut(List.of(), previous, current, gradient, best, bestGradient, bestAdversarial, lower,
                        upper);
            }
            previous = compacted[0];
            current = compacted[1];
            gradient = compacted[2];
            best = compacted[3];
            bestGradient = compacted[4];
            bestAdversarial = compacted[5];
            lower = compacted[6];
            upper = compacted[7];
            aimed = compacted[8];
        }
    }

    private record Evaluation(NDArray gradient, NDArray logits, float[] loss, long[] predicted) {
    }

    private Evaluation evaluate(AttackTarget target, NDManager manager, NDArray flat, NDArray labels, NDArray aimed,
                                int[] rows) {
        int n = rows.length;
        Shape imageShape = target.model().network().inputShape(n);
        AttackTarget.Gradient g = target.gradient(manager, flat.reshape(imageShape), rows,
                (logits, inputs) -> objective(logits, labels, aimed));
        return new Evaluation(g.gradient().reshape(flat.getShape()), g.logits(), g.objective().toFloatArray(),
                g.logits().argMax(1).toLongArray());
    }

    private NDArray objective(NDArray logits, NDArray labels, NDArray aimed) {
        if (loss == Loss.CE) return Losses.crossEntropy(logits, labels);
        NDArray sorted = logits.sort(1);
        NDArray scale = Losses.kthLargest(sorted, 1).sub(Losses.kthLargest(sorted, 3).mul(0.5f))
                .sub(Losses.kthLargest(sorted, 4).mul(0.5f)).add(DLR_EPSILON);
        return Losses.labelLogit(logits, labels).sub(Losses.labelLogit(logits, aimed)).div(scale).neg();
    }

    /** Classes of each sample ordered from the most to the least likely. */
    private static long[][] rankClasses(float[] logits, int n, int classes) {
        long[][] ranked = new long[n][];
        for (int s = 0; s < n; s++) {
            final int row = s;
            ranked[s] = java.util.stream.IntStream.range(0, classes).boxed()
                    .sorted((p, q) -> Float.compare(logits[row * classes + q], logits[row * classes + p]))
                    .mapToLong(Integer::longValue).toArray();
        }
        return ranked;
    }

    private static int[] indices(boolean[] flags) {
        return java.util.stream.IntStream.range(0, flags.length).filter(i -> flags[i]).toArray();
    }

    private static float[] gather(float[] images, int[] rows, int imageLength) {
        float[] result = new float[rows.length * imageLength];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(images, rows[r] * imageLength, result, r * imageLength, imageLength);
        }
        return result;
    }

    private static long[] gather(long[] values, int[] rows) {
        long[] result = new long[rows.length];
        for (int r = 0; r < rows.length; r++) result[r] = values[rows[r]];
        return result;
    }
}
