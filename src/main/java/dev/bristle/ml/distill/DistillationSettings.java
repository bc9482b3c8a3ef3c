package dev.bristle.ml.distill;

import dev.bristle.input.InvalidInputException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that decides what a distiller produces; recorded in the set's provenance.
 *
 * @param method       which distiller
 * @param ipc          images per class of the distilled set
 * @param seed         the one seed every random choice follows from (the sample, the networks, the batches)
 * @param iterations   DM: optimization steps of the synthetic images; herding: epochs the embedding network trains;
 *                     random: 0 (nothing is optimized)
 * @param learningRate DM: SGD learning rate of the synthetic images (momentum {@value #DM_MOMENTUM}); herding: SGD
 *                     learning rate of the embedding network; random: 0
 * @param realPerClass DM: real images of each class per step; herding: real images of each class the embedding
 *                     trains on; random: 0
 * @param device       compute device setting: auto, cpu or gpu
 */
public record DistillationSettings(DistillationMethod method, int ipc, long seed, int iterations, double learningRate,
                                   int realPerClass, String device) {

    /** DM's momentum for the synthetic images, as in its code. */
    public static final double DM_MOMENTUM = 0.5;

    /**
     * DM's defaults here: 200 steps with 16 real images per class per step, from real images (the random subset of
     * the same seed), at learning rate {@value #DM_LEARNING_RATE_PER_IPC} x IPC: the loss's gradient on each
     * synthetic image scales with 1 / IPC (each is 1 / IPC of its class mean), so the step per image stays the same
     * at every IPC. DM's paper runs 20,000 steps at learning rate 1 with 256 real images and DSA; these settings
     * take a few minutes for Fashion-MNIST IPC 10 on this machine's two cores (README, "Distillation").
     */
    public static final int DM_ITERATIONS = 200;
    public static final double DM_LEARNING_RATE_PER_IPC = 0.5;
    public static final int DM_REAL_PER_CLASS = 16;

    /** Herding's embedding: a BEARD ConvNet trained 30 epochs on 200 real images per class at learning rate 0.01. */
    public static final int HERDING_EPOCHS = 30;
    public static final double HERDING_LEARNING_RATE = 0.01;
    public static final int HERDING_REAL_PER_CLASS = 200;

    public DistillationSettings {
        if (method == null || device == null) throw new IllegalArgumentException("method and device are required");
        if (ipc < 1) throw new InvalidInputException("images per class must be positive, not " + ipc);
        if (method == DistillationMethod.RANDOM) {
            if (iterations != 0 || learningRate != 0 || realPerClass != 0) {
                throw new InvalidInputException("the random subset optimizes nothing: iterations, learning rate"
                        + " and real images per class do not apply");
            }
        } else {
            if (iterations < 1) throw new InvalidInputException("iterations must be positive, not " + iterations);
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new InvalidInputException("learning rate must be positive, not " + learningRate);
            }
            if (realPerClass < 1) {
                throw new InvalidInputException("real images per class must be positive, not " + realPerClass);
            }
        }
    }

    /** The method's defaults for {@code ipc} images per class. */
    public static DistillationSettings defaults(DistillationMethod method, int ipc, long seed) {
        return switch (method) {
            case RANDOM -> new DistillationSettings(method, ipc, seed, 0, 0, 0, "auto");
            case HERDING -> new DistillationSettings(method, ipc, seed, HERDING_EPOCHS, HERDING_LEARNING_RATE,
                    HERDING_REAL_PER_CLASS, "auto");
            case DM -> new DistillationSettings(method, ipc, seed, DM_ITERATIONS, DM_LEARNING_RATE_PER_IPC * ipc,
                    DM_REAL_PER_CLASS, "auto");
        };
    }

    /**
     * The method's defaults with the settings a caller gave (null: the default), as the command line and the app's
     * distillation jobs ask for them.
     *
     * @throws InvalidInputException when a given setting does not apply to the method or is out of range
     */
    public static DistillationSettings of(DistillationMethod method, int ipc, long seed, Integer iterations,
                                          Double learningRate, Integer realPerClass) {
        DistillationSettings settings = defaults(method, ipc, seed);
        if (iterations != null) settings = settings.withIterations(iterations);
        if (learningRate != null) settings = settings.withLearningRate(learningRate);
        if (realPerClass != null) settings = settings.withRealPerClass(realPerClass);
        return settings;
    }

    public DistillationSettings withIterations(int iterations) {
        return new DistillationSettings(method, ipc, seed, iterations, learningRate, realPerClass, device);
    }

    public DistillationSettings withLearningRate(double learningRate) {
        return new DistillationSettings(method, ipc, seed, iterations, learningRate, realPerClass, device);
    }

    public DistillationSettings withRealPerClass(int realPerClass) {
        return new DistillationSettings(method, ipc, seed, iterations, learningRate, realPerClass, device);
    }

    public DistillationSettings withDevice(String device) {
        return new DistillationSettings(method, ipc, seed, iterations, learningRate, realPerClass, device);
    }

    /** The settings by name, for the provenance. */
    public Map<String, Object> describe() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("method", method.key());
        map.put("ipc", ipc);
        map.put("seed", seed);
        map.put("iterations", iterations);
        map.put("learningRate", learningRate);
        if (method == DistillationMethod.DM) map.put("momentum", DM_MOMENTUM);
        map.put("realPerClass", realPerClass);
        return map;
    }
}
