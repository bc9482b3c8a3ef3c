package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Baseline: independent uniform noise in [-eps, eps] per pixel, clamped to the box. It spends no model pass, so an
 * attack that hurts no more than this at the same budget has learnt nothing from the gradient.
 */
public final class UniformNoise extends BudgetedAttack {


    public UniformNoise(double eps) {
        super(Norm.LINF, eps);
    }

    @Override
    public String name() {
        return "Noise";
    }

    @Override
    protected void putSettings(Map<String, Object> map) {
        map.put("distribution", "uniform");
    }

    @Override
    public boolean supportsTargeted() {
        return false;
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
