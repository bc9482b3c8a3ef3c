package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Baseline: independent uniform noise in [-eps, eps] per pixel, clamped to the box. It spends no model pass, so an
 * attack that hurts no more than this at the same budget has learnt nothing from the gradient.
 */
public final class UniformNoise implements Attack {

    private final double eps;

    public UniformNoise(double eps) {
        this.eps = eps;
    }

    @Override
    public String name() {
        return "Noise";
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("norm", "Linf");
        map.put("eps", eps);
        map.put("distribution", "uniform");
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
        NDManager batch = images.getManager();
        try (NDManager step = batch.newSubManager()) {
            NDArray noise = RandomArrays.uniform(step, new SplittableRandom(seed), images.getShape(), -eps, eps);
            NDArray adversarial = noise.add(images).clip(AttackTarget.BOX_LOWER, AttackTarget.BOX_UPPER);
            adversarial.attach(batch);
            return new AttackBatch(adversarial);
        }
    }
}
