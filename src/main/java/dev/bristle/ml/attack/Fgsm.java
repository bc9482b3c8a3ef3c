package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Map;

/** Fast gradient sign method: one step of size eps along the sign of the loss gradient, clamped to the box. */
public final class Fgsm extends BudgetedAttack {


    public Fgsm(double eps) {
        super(Norm.LINF, eps);
    }

    @Override
    public String name() {
        return "FGSM";
    }

    @Override
    protected void putSettings(Map<String, Object> map) {
        map.put("loss", "cross-entropy");
    }

    @Override
    public boolean supportsTargeted() {
        return true;
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
