package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DeepFool (L2) as torchattacks applies it: each step linearizes the classifier at the current image, moves towards the
 * nearest linearized decision boundary and applies the overshoot to that step (not to the accumulated perturbation),
 * then clamps to the box; a sample stops as soon as it is misclassified, and after {@code steps} steps in any case.
 * The per-class gradients of a step come from one forward and one backward pass over the samples repeated once per
 * class.
 */
public final class DeepFool implements Attack {

    /** Which forward pass gives a step's logits: whether the sample is still correct, and the logit gaps. */
    public enum Logits {
        /** The batched pass that also gives the gradients: the decision agrees with a batched evaluation. */
        BATCHED,
        /**
         * A pass over the image alone, as torchattacks runs DeepFool. PyTorch's CPU convolution takes another kernel
         * for one image than for a batch, so for an image stalled on the decision boundary this decision and the
         * batched evaluation of the result can disagree by a few float32 ulps, and most of BEARD's DeepFool accuracy is
         * such images: BACON on the first 932 test images keeps 19.3 % with this, 8.6 % with {@link #BATCHED} (BEARD
         * reports 18.3 % on all 10,000).
         */
        SINGLE_IMAGE
    }

    /** Rows (samples x classes) of one Jacobian pass; bounds the activations held for the backward pass. */
    private static final int MAX_JACOBIAN_ROWS = 640;

    private final int steps;
    private final double overshoot;
    private final Logits logitsFrom;

    public DeepFool(int steps, double overshoot, Logits logitsFrom) {
        if (steps < 1) throw new IllegalArgumentException("DeepFool needs at least one step, not " + steps);
        this.steps = steps;
        this.overshoot = overshoot;
        this.logitsFrom = logitsFrom;
    }

    @Override
    public String name() {
        return "DeepFool";
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("norm", "L2 (unbounded)");
        map.put("steps", steps);
        map.put("overshoot", overshoot);
        map.put("logits", logitsFrom == Logits.SINGLE_IMAGE ? "one image per pass (torchattacks)" : "batched");
        return map;
    }

    @Override
    public boolean supportsTargeted() {
        return false;
    }

    @Override
    public Optional<Budget> budget() {
        return Optional.empty();
    }

    @Override
    public AttackBatch run(AttackTarget target, NDArray images, NDArray labels, NDArray targets, long seed) {
        if (targets != null) throw new IllegalArgumentException("DeepFool has no targeted mode");
        NDManager batch = images.getManager();
        Shape shape = images.getShape();
        int n = (int) shape.get(0);
        int imageLength = (int) (shape.size() / n);
        int classes = target.classes();
        float[] adversarial = images.toFloatArray();
        long[] label = labels.toLongArray();
        boolean[] active = new boolean[n];
        Arrays.fill(active, true);
        int chunk = Math.max(1, MAX_JACOBIAN_ROWS / classes);
        for (int i = 0; i < steps; i++) {
            List<Integer> open = new ArrayList<>();
            for (int s = 0; s < n; s++) if (active[s]) open.add(s);
            if (open.isEmpty()) break;
            for (int from = 0; from < open.size(); from += chunk) {
                List<Integer> rows = open.subList(from, Math.min(open.size(), from + chunk));
                step(target, batch, rows, adversarial, label, active, imageLength, classes, shape);
            }
        }
        return new AttackBatch(batch.create(adversarial, shape));
    }

    /** One DeepFool step for {@code rows}: updates their images in place, or retires those already misclassified. */
    private void step(AttackTarget target, NDManager batch, List<Integer> rows, float[] adversarial, long[] label,
                      boolean[] active, int imageLength, int classes, Shape shape) {
        int a = rows.size();
        float[] repeated = new float[a * classes * imageLength];
        float[] selector = new float[a * classes * classes];
        long[] rowLabels = new long[a];
        int[] passRows = new int[a * classes];
        for (int r = 0; r < a; r++) {
            int sample = rows.get(r);
            rowLabels[r] = label[sample];
            for (int k = 0; k < classes; k++) {
                System.arraycopy(adversarial, sample * imageLength, repeated, (r * classes + k) * imageLength,
                        imageLength);
                selector[(r * classes + k) * classes + k] = 1f;
                passRows[r * classes + k] = sample;
            }
        }
        try (NDManager step = batch.newSubManager()) {
            Shape repeatedShape = new Shape(a * classes, shape.get(1), shape.get(2), shape.get(3));
            NDArray inputs = step.create(repeated, repeatedShape);
            NDArray select = step.create(selector, new Shape(a * classes, classes));
            // Row (r, k) of the objective is logit k of sample r: its gradient is row k of r's Jacobian.
            AttackTarget.Gradient g = target.gradient(step, inputs, passRows,
                    (logits, x) -> logits.mul(select).sum(new int[] {1}));
            NDArray logits = logitsFrom == Logits.SINGLE_IMAGE
                    ? singleImageLogits(target, step, rows, adversarial, imageLength, shape)
                    : g.logits().reshape(a, classes, classes).get(":, 0, :");
            NDArray jacobian = g.gradient().reshape(a, classes, imageLength);
            NDArray labelArray = step.create(rowLabels);
            NDArray hot = labelArray.oneHot(classes);
            long[] predicted = logits.argMax(1).toLongArray();

            NDArray labelLogit = logits.mul(hot).sum(new int[] {1}, true);
            NDArray labelGradient = jacobian.mul(hot.expandDims(2)).sum(new int[] {1}, true);
            NDArray logitGap = logits.sub(labelLogit);
            NDArray gradientGap = jacobian.sub(labelGradient);
            NDArray gapNorm = gradientGap.norm(new int[] {2});
            NDArray distance = logitGap.abs().div(gapNorm);
            distance = NDArrays.where(hot.eq(1f), step.full(distance.getShape(), Float.POSITIVE_INFINITY), distance);
            NDArray nearest = distance.argMin(1).oneHot(classes);
            NDArray chosenGap = logitGap.mul(nearest).sum(new int[] {1}).abs();
            NDArray chosenNorm = gapNorm.mul(nearest).sum(new int[] {1});
            NDArray chosenGradient = gradientGap.mul(nearest.expandDims(2)).sum(new int[] {1});
            NDArray move = chosenGradient.mul(chosenGap.div(chosenNorm.square()).expandDims(1))
                    .mul((float) (1 + overshoot));
            NDArray current = step.create(gatherRows(adversarial, rows, imageLength), new Shape(a, imageLength));
            float[] moved = move.add(current).clip(AttackTarget.BOX_LOWER, AttackTarget.BOX_UPPER).toFloatArray();
            for (int r = 0; r < a; r++) {
                int sample = rows.get(r);
                if (predicted[r] != label[sample]) {
                    active[sample] = false;
                } else {
                    System.arraycopy(moved, r * imageLength, adversarial, sample * imageLength, imageLength);
                }
            }
        }
    }

    /** Logits of each of {@code rows}' images from a forward pass over that image alone. */
    private static NDArray singleImageLogits(AttackTarget target, NDManager step, List<Integer> rows,
                                             float[] adversarial, int imageLength, Shape shape) {
        Shape single = new Shape(1, shape.get(1), shape.get(2), shape.get(3));
        NDArray[] logits = new NDArray[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            int sample = rows.get(r);
            NDArray image = step.create(Arrays.copyOfRange(adversarial, sample * imageLength,
                    (sample + 1) * imageLength), single);
            logits[r] = target.logits(image, new int[] {sample});
        }
        return NDArrays.concat(new NDList(logits));
    }

    private static float[] gatherRows(float[] images, List<Integer> rows, int imageLength) {
        float[] result = new float[rows.size() * imageLength];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(images, rows.get(r) * imageLength, result, r * imageLength, imageLength);
        }
        return result;
    }
}
