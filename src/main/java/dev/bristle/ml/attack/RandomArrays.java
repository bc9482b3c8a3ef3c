package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.SplittableRandom;

/** Random arrays drawn in Java from a seeded generator, so a seed gives the same numbers on every engine. */
public final class RandomArrays {

    private RandomArrays() {
    }

    public static NDArray uniform(NDManager manager, SplittableRandom random, Shape shape, double low, double high) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) values[i] = (float) (low + (high - low) * random.nextDouble());
        return manager.create(values, shape);
    }

    static NDArray normal(NDManager manager, SplittableRandom random, Shape shape) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i += 2) {
            // Box-Muller: two independent standard normals from two uniforms.
            double u = 1 - random.nextDouble();
            double v = random.nextDouble();
            double r = Math.sqrt(-2 * Math.log(u));
            values[i] = (float) (r * Math.cos(2 * Math.PI * v));
            if (i + 1 < values.length) values[i + 1] = (float) (r * Math.sin(2 * Math.PI * v));
        }
        return manager.create(values, shape);
    }

    /** A sign (+1 or -1) per element, float32. */
    static NDArray signs(NDManager manager, SplittableRandom random, Shape shape) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) values[i] = random.nextBoolean() ? 1f : -1f;
        return manager.create(values, shape);
    }
}
