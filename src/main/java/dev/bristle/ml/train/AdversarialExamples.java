package dev.bristle.ml.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import dev.bristle.ml.attack.RandomArrays;

import java.util.List;
import java.util.SplittableRandom;

/** The adversarial examples PGD adversarial training ({@link TrainingRecipe}) trains a student on, batch by batch. */
final class AdversarialExamples {

    private AdversarialExamples() {
    }

    /**
     * PGD adversarial examples of a (normalized) training batch for the recipe's budget in pixels: per channel the
     * budget and step are divided by the channel's std, which is the same ball in pixel space. The network's weights
     * take no gradient meanwhile (so the PGD passes leave nothing in the weights' gradients the SGD step uses).
     * The examples belong to the batch's manager.
     */
    static NDArray pgd(Trainer trainer, TrainingRecipe recipe, NDArray clean, NDArray targets, float[] std,
                       SplittableRandom random) {
        NDManager batch = clean.getManager();
        float[] epsPerChannel = new float[std.length];
        float[] stepPerChannel = new float[std.length];
        for (int c = 0; c < std.length; c++) {
            epsPerChannel[c] = (float) (recipe.eps() / std[c]);
            stepPerChannel[c] = (float) (recipe.stepSize() / std[c]);
        }
        Shape perChannel = new Shape(1, std.length, 1, 1);
        NDArray eps = batch.create(epsPerChannel, perChannel);
        NDArray step = batch.create(stepPerChannel, perChannel);
        NDArray delta = RandomArrays.uniform(batch, random, clean.getShape(), -1, 1).mul(eps);
        List<Parameter> weights = List.copyOf(trainer.getModel().getBlock().getParameters().values());
        weights.forEach(p -> p.getArray().setRequiresGradient(false));
        try {
            for (int i = 0; i < recipe.steps(); i++) {
                try (NDManager stepManager = batch.newSubManager()) {
                    NDArray leaf = delta.add(clean);
                    leaf.attach(stepManager);
                    leaf.setRequiresGradient(true);
                    NDArray gradient;
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray logits = trainer.evaluate(new NDList(leaf)).singletonOrThrow();
                        collector.backward(trainer.getLoss().evaluate(new NDList(targets), new NDList(logits)));
                        gradient = leaf.getGradient();
                    }
                    NDArray moved = gradient.sign().mul(step).add(delta);
                    NDArray next = moved.minimum(eps).maximum(eps.neg());
                    next.attach(batch);
                    delta = next;
                }
            }
        } finally {
            weights.forEach(p -> p.getArray().setRequiresGradient(true));
        }
        return delta.add(clean);
    }
}
