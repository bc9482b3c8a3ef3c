package dev.bristle.ml.evidence;

import dev.bristle.ml.metrics.AttackMode;

import java.util.List;

/**
 * One raised {@link SanityCheck}, with what raised it.
 *
 * @param mode     the attack mode it concerns; null for checks of the model itself (zero gradients)
 * @param attacks  the attacks it concerns
 * @param evidence the figures that raised it, in a sentence
 */
public record SanityFlag(SanityCheck check, AttackMode mode, List<String> attacks, String evidence) {

    public SanityFlag {
        attacks = List.copyOf(attacks);
    }
}
