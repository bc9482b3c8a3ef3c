package dev.bristle.ml.attack;

import dev.bristle.ml.metrics.EfficiencyBasis;
import dev.bristle.ml.metrics.RobustnessMetrics;

import java.util.Arrays;
import java.util.Locale;

/** Where an attack works and which of BEARD's choices it keeps. */
public enum AttackProtocol {
    /**
     * BEARD as published, defects included: images are mean/std-normalized before the attack, which does not know it,
     * so eps, steps and the [0, 1] clamp act on normalized tensors; targeted DeepFool and AutoAttack score the clean
     * images; DeepFool decides from single-image passes as torchattacks does ({@link DeepFool.Logits#SINGLE_IMAGE}).
     */
    BEARD,
    /** Attacks in pixel space ([0, 1]) with the normalization inside the model; every targetable attack runs targeted. */
    SOUND;

    /**
     * What AE measures cost in: BEARD's wall time (reproducing its numbers, machine-dependent), or, in the sound
     * protocol, the model passes each attack spends per image, which are the same on any hardware.
     */
    public EfficiencyBasis efficiencyBasis() {
        return this == BEARD ? EfficiencyBasis.WALL_TIME : EfficiencyBasis.MODEL_PASSES;
    }

    /** BEARD's metric rules (RR, AE, CREI) with this protocol's {@link #efficiencyBasis()}. */
    public RobustnessMetrics metrics() {
        return RobustnessMetrics.beard().withEfficiency(efficiencyBasis());
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AttackProtocol fromKey(String key) {
        return Arrays.stream(values()).filter(p -> p.key().equalsIgnoreCase(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown protocol '" + key + "' (expected beard or sound)"));
    }
}
