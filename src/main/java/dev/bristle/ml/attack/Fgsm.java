package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Fast gradient sign method: one step of size eps along the sign of the loss gradient, clamped to the box. */
public final class Fgsm implements Attack {

    private final double eps;

    public Fgsm(double eps) {
        this.eps = eps;
    }

    @Override
    public String name() {
        return "FGSM";
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("norm", "Linf");
        map.put("eps", eps);
        map.put("loss", "cross-entropy");
        return map;
    }

    @Override
    public boolean supportsTargeted() {
        return true;
    }

    @Override
    public Optional<Budget> budget() {
        return Optional.of(new Budget(Norm.LINF, eps));
    }

    @Override
    public AttackBatch run(AttackTarget target, NDArray images, NDArray labels, NDArray targets, long seed) {
        NDManager batch = images.getManager();
        try (NDManager step = batch.newSubManager()) {
            AttackTarget.Gradient g = target.gradient(step, images, null,
                    (logits, inputs) -> Losses.crossEntropyObjective(logits, labels, targets));
            NDArray adversarial = g.gradient().sign().mul((float) eps).add(images)
                    .clip(AttackTarget.BOX_LOWER, AttackTarget.BOX_UPPER);
            adversarial.attach(batch);
            return new AttackBatch(adversarial);
        }
    }
}
