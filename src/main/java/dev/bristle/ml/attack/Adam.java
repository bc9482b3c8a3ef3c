package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;

/**
 * Adam (beta1 0.9, beta2 0.999, epsilon 1e-8) on one tensor, in PyTorch's update order: moments, bias corrections,
 * then param - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + epsilon). The moments live in the manager
 * of the arrays they are computed from; {@link #keepIn} moves them to a longer-lived one.
 */
final class Adam {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final float EPSILON = 1e-8f;

    private final double learningRate;
    private NDArray firstMoment;
    private NDArray secondMoment;
    private int steps;

    Adam(double learningRate) {
        this.learningRate = learningRate;
    }

    /** The updated parameter, owned by the manager of {@code gradient}. */
    NDArray step(NDArray parameter, NDArray gradient) {
        steps++;
        NDArray first = gradient.mul((float) (1 - BETA1));
        NDArray second = gradient.mul(gradient).mul((float) (1 - BETA2));
        if (firstMoment != null) {
            first = Tensors.local(firstMoment, gradient).mul((float) BETA1).add(first);
            second = Tensors.local(secondMoment, gradient).mul((float) BETA2).add(second);
            firstMoment.close();
            secondMoment.close();
        }
        firstMoment = first;
        secondMoment = second;
        double stepSize = learningRate / (1 - Math.pow(BETA1, steps));
        float correction2 = (float) Math.sqrt(1 - Math.pow(BETA2, steps));
        NDArray denominator = second.sqrt().div(correction2).add(EPSILON);
        return first.div(denominator).mul((float) -stepSize).add(parameter);
    }

    /** Moves the moments into the manager of {@code owner} so they outlive the step that made them. */
    void keepIn(NDArray owner) {
        if (firstMoment == null) return;
        firstMoment.attach(owner.getManager());
        secondMoment.attach(owner.getManager());
    }

    /** Keeps the moments of the samples {@code open} still attacks (after it retired some). */
    void keep(Survivors open) {
        if (firstMoment == null) return;
        NDArray first = open.keep(firstMoment);
        NDArray second = open.keep(secondMoment);
        close();
        firstMoment = first;
        secondMoment = second;
    }

    void close() {
        if (firstMoment != null) {
            firstMoment.close();
            secondMoment.close();
        }
    }
}
