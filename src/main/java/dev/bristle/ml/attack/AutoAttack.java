package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * AutoAttack (L-inf): its component attacks run one after another, each on the samples all earlier ones failed on,
 * and a sample's result is the first adversarial example found (the per-sample worst case). Two compositions:
 * <ul>
 *   <li>{@link Version#TORCHATTACKS}: what torchattacks 3.5.1 builds for version='standard' and BEARD ran: APGD-CE and
 *       APGD-T with torchattacks' default 10 iterations (APGD-T over the 9 most likely wrong classes), FAB-T over the 9
 *       most likely wrong classes with torchattacks' default 10 steps, Square with 5000 queries and the rescaled p
 *       schedule;</li>
 *   <li>{@link Version#STANDARD}: the authors' standard version: 100 iterations for APGD-CE and APGD-T (9 target
 *       classes), FAB-T (9 target classes, 100 steps), Square with 5000 queries without the rescaled schedule.</li>
 * </ul>
 */
public final class AutoAttack implements PooledAttack {

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
                // torchattacks builds FAB with multi_targeted=True and its default 10 steps: FAB-T, as the authors.
                new Fab(eps, steps, 1, FAB_ALPHA_MAX, FAB_ETA, FAB_BETA, classes - 1),
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
        int n = (int) images.getShape().get(0);
        float[] result = attack(target, images.getManager(), images.toFloatArray(), labels.toLongArray(), seed,
                Math.max(n, 1), false);
        return new AttackBatch(images.getManager().create(result, images.getShape()));
    }

    /**
     * Each component on the images all earlier ones failed on, drawn from the whole set in full batches; Square, the
     * longest, keeps its batches full as images are fooled ({@link SquarePool}).
     */
    @Override
    public float[] runPooled(AttackTarget target, NDManager manager, float[] images, long[] labels, long[] targets,
                             long seed, int batchSize) {
        if (targets != null) throw new IllegalArgumentException("AutoAttack (standard) has no targeted mode");
        return attack(target, manager, images, labels, seed, batchSize, true);
    }

    /**
     * The components one after another, each on the images still classified correctly, in chunks of at most
     * {@code batchSize} (a pooled component on all of them at once). One chunk gets the component's seed, so a batch
     * attacked whole runs as before.
     */
    private float[] attack(AttackTarget target, NDManager manager, float[] x, long[] y, long seed, int batchSize,
                           boolean pooled) {
        Shape imageShape = target.model().network().inputShape(1);
        int imageLength = (int) imageShape.size();
        float[] result = x.clone();
        int[] remaining = IntStream.range(0, y.length).toArray();
        for (int c = 0; c < components.size() && remaining.length > 0; c++) {
            Attack component = components.get(c);
            long componentSeed = seed + c;
            float[] adversarial = new float[remaining.length * imageLength];
            long[] predicted = new long[remaining.length];
            float[] subset = gather(x, remaining, imageLength);
            long[] subsetLabels = new long[remaining.length];
            for (int r = 0; r < remaining.length; r++) subsetLabels[r] = y[remaining[r]];
            if (pooled && component instanceof PooledAttack pool) {
                float[] found = target.onSubset(remaining, () -> pool.runPooled(target, manager, subset, subsetLabels,
                        null, componentSeed, batchSize));
                System.arraycopy(found, 0, adversarial, 0, found.length);
            }
            for (int start = 0, chunk = 0; start < remaining.length; start += batchSize, chunk++) {
                int count = Math.min(batchSize, remaining.length - start);
                int[] rows = Arrays.copyOfRange(remaining, start, start + count);
                long chunkSeed = chunk == 0 ? componentSeed : componentSeed + 0x9E3779B97F4A7C15L * chunk;
                try (NDManager part = manager.newSubManager()) {
                    Shape shape = target.model().network().inputShape(count);
                    if (!(pooled && component instanceof PooledAttack)) {
                        NDArray chunkImages = part.create(Arrays.copyOfRange(subset, start * imageLength,
                                (start + count) * imageLength), shape);
                        NDArray chunkLabels = part.create(Arrays.copyOfRange(subsetLabels, start, start + count));
                        float[] found = target.onSubset(rows, () -> component.run(target, chunkImages, chunkLabels,
                                null, chunkSeed).adversarial().toFloatArray());
                        System.arraycopy(found, 0, adversarial, start * imageLength, found.length);
                    }
                    NDArray chunkAdversarial = part.create(Arrays.copyOfRange(adversarial, start * imageLength,
                            (start + count) * imageLength), shape);
                    long[] chunkPredicted = target.onSubset(rows, () -> target.logits(chunkAdversarial, null)
                            .argMax(1).toLongArray());
                    System.arraycopy(chunkPredicted, 0, predicted, start, count);
                }
            }
            List<Integer> stillCorrect = new ArrayList<>();
            for (int r = 0; r < remaining.length; r++) {
                if (predicted[r] != y[remaining[r]]) {
                    System.arraycopy(adversarial, r * imageLength, result, remaining[r] * imageLength, imageLength);
                } else {
                    stillCorrect.add(remaining[r]);
                }
            }
            remaining = stillCorrect.stream().mapToInt(Integer::intValue).toArray();
        }
        return result;
    }

    private static float[] gather(float[] images, int[] rows, int imageLength) {
        float[] result = new float[rows.length * imageLength];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(images, rows[r] * imageLength, result, r * imageLength, imageLength);
        }
        return result;
    }
}
