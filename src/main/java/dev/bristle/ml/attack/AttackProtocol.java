package dev.bristle.ml.attack;

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

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AttackProtocol fromKey(String key) {
        return Arrays.stream(values()).filter(p -> p.key().equalsIgnoreCase(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown protocol '" + key + "' (expected beard or sound)"));
    }
}
