package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * AutoAttack (L-inf): its component attacks run one after another, each on the samples all earlier ones failed on,
 * and a sample's result is the first adversarial example found (the per-sample worst case). Two compositions:
 * <ul>
 *   <li>{@link Version#TORCHATTACKS}: what torchattacks 3.5.1 builds for version='standard' and BEARD ran: APGD-CE and
 *       APGD-T with torchattacks' default 10 iterations (APGD-T over the 9 most likely wrong classes), untargeted FAB
 *       (100 steps), Square with 5000 queries and the rescaled p schedule;</li>
 *   <li>{@link Version#STANDARD}: the authors' standard version: 100 iterations for APGD-CE and APGD-T (9 target
 *       classes), FAB-T (9 target classes, 100 steps), Square with 5000 queries without the rescaled schedule.</li>
 * </ul>
 */
public final class AutoAttack implements Attack {

    /** Which composition to run. */
    public enum Version { TORCHATTACKS, STANDARD }

    private static final double RHO = 0.75;
    private static final double SQUARE_P_INIT = 0.8;
    private static final int SQUARE_QUERIES = 5000;
    private static final double FAB_ALPHA_MAX = 0.1;
    private static final double FAB_ETA = 1.05;
    private static final double FAB_BETA = 0.9;

    private final Version version;
    private final double eps;
    private final List<Attack> components;

    public AutoAttack(Version version, double eps, int classes) {
        this(version, eps, defaultComponents(version, eps, classes));
    }

    /** A composition of the given components (e.g. fewer queries for a quick check); recorded as given. */
    public AutoAttack(Version version, double eps, List<Attack> components) {
        this.version = version;
        this.eps = eps;
        this.components = List.copyOf(components);
    }

    private static List<Attack> defaultComponents(Version version, double eps, int classes) {
        int steps = version == Version.TORCHATTACKS ? 10 : 100;
        return List.of(
                new Apgd(Apgd.Loss.CE, eps, steps, 1, RHO, 0),
                new Apgd(Apgd.Loss.DLR_TARGETED, eps, steps, 1, RHO, classes - 1),
                // torchattacks builds its FAB untargeted (it ignores the flag) with its default 100 steps.
                new Fab(eps, 100, 1, FAB_ALPHA_MAX, FAB_ETA, FAB_BETA,
                        version == Version.TORCHATTACKS ? 0 : classes - 1),
                new Square(eps, SQUARE_QUERIES, SQUARE_P_INIT, version == Version.TORCHATTACKS, 1));
    }

    @Override
    public String name() {
        return "AutoAttack";
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("version", version == Version.TORCHATTACKS ? "torchattacks-standard" : "authors-standard");
        map.put("norm", "Linf");
        map.put("eps", eps);
        Map<String, Object> parts = new LinkedHashMap<>();
        for (Attack component : components) parts.put(component.name(), component.hyperparameters());
        map.put("components", parts);
        return map;
    }

    @Override
    public boolean supportsTargeted() {
        return false;
    }

    @Override
    public Optional<Budget> budget() {
        return Optional.of(new Budget(Norm.LINF, eps));
    }

    @Override
    public AttackBatch run(AttackTarget target, NDArray images, NDArray labels, NDArray targets, long seed) {
        if (targets != null) throw new IllegalArgumentException("AutoAttack (standard) has no targeted mode");
        NDManager batch = images.getManager();
        Shape shape = images.getShape();
        int n = (int) shape.get(0);
        int imageLength = (int) (shape.size() / n);
        float[] result = images.toFloatArray();
        long[] y = labels.toLongArray();
        int[] remaining = java.util.stream.IntStream.range(0, n).toArray();
        for (int c = 0; c < components.size() && remaining.length > 0; c++) {
            Attack component = components.get(c);
            int[] rows = remaining;
            long componentSeed = seed + c;
            try (NDManager part = batch.newSubManager()) {
                float[] subset = new float[rows.length * imageLength];
                long[] subsetLabels = new long[rows.length];
                for (int r = 0; r < rows.length; r++) {
                    System.arraycopy(result, rows[r] * imageLength, subset, r * imageLength, imageLength);
                    subsetLabels[r] = y[rows[r]];
                }
                NDArray subsetImages = part.create(subset, new Shape(rows.length, shape.get(1), shape.get(2),
                        shape.get(3)));
                NDArray subsetLabelArray = part.create(subsetLabels);
                float[] adversarial = target.onSubset(rows, () -> component.run(target, subsetImages, subsetLabelArray,
                        null, componentSeed).adversarial().toFloatArray());
                long[] predicted = target.onSubset(rows, () -> target.logits(
                        part.create(adversarial, subsetImages.getShape()), null).argMax(1).toLongArray());
                List<Integer> stillCorrect = new java.util.ArrayList<>();
                for (int r = 0; r < rows.length; r++) {
                    if (predicted[r] != y[rows[r]]) {
                        System.arraycopy(adversarial, r * imageLength, result, rows[r] * imageLength, imageLength);
                    } else {
                        stillCorrect.add(rows[r]);
                    }
                }
                remaining = stillCorrect.stream().mapToInt(Integer::intValue).toArray();
            }
        }
        return new AttackBatch(batch.create(result, shape));
    }
}
