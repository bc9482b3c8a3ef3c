package dev.bristle.ml.attack;

import dev.bristle.input.InvalidInputException;
import dev.bristle.keys.Keyed;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.EfficiencyBasis;
import dev.bristle.ml.metrics.RobustnessMetrics;

import java.util.Locale;

/** Where an attack works and which of BEARD's choices it keeps. */
public enum AttackProtocol implements Keyed {
    /**
     * BEARD as published, defects included: images are mean/std-normalized before the attack, which does not know it,
     * so eps, steps and the [0, 1] clamp act on normalized tensors; targeted DeepFool and AutoAttack score the clean
     * images; DeepFool decides from single-image passes as torchattacks does ({@link DeepFool.Logits#SINGLE_IMAGE}).
     */
    BEARD,
    /** Attacks in pixel space ([0, 1]) with the normalization inside the model; every targetable attack runs targeted. */
    SOUND;

    /** BEARD's PGD step, 2/225: a typo for 2/255 kept in the BEARD protocol. */
    private static final double BEARD_PGD_STEP = 2 / 225.0;
    /** BEARD's PGD-L2 step, 15/255 (at eps 128/255). */
    private static final double BEARD_PGD_L2_STEP = 15 / 255.0;
    /** PGD's step in the sound protocol as a fraction of eps: 2/255 at 8/255, as Madry et al. and torchattacks. */
    private static final double PGD_STEP_PER_EPS = 0.25;
    /** PGD-L2's step in the sound protocol as a fraction of eps: BEARD's ratio, so ten steps can cross the ball. */
    private static final double PGD_L2_STEP_PER_EPS = 15 / 128.0;
    /** BEARD aims at (y + 1) % 10 whatever the class count (its defect 2); the sound protocol uses the class count. */
    private static final int BEARD_TARGET_MODULUS = 10;

    public double pgdStep(double eps) {
        return this == BEARD ? BEARD_PGD_STEP : eps * PGD_STEP_PER_EPS;
    }

    public double pgdL2Step(double eps) {
        return this == BEARD ? BEARD_PGD_L2_STEP : eps * PGD_L2_STEP_PER_EPS;
    }

    /** torchattacks decides each DeepFool step from a forward pass of the image alone, and BEARD inherits that. */
    public DeepFool.Logits deepFoolLogits() {
        return this == BEARD ? DeepFool.Logits.SINGLE_IMAGE : DeepFool.Logits.BATCHED;
    }

    /**
     * Whether {@code attack} runs in {@code mode}: BEARD "runs" attacks that cannot target in the targeted mode too,
     * scoring the clean images; the sound protocol leaves them out.
     */
    public boolean runs(Attack attack, AttackMode mode) {
        return mode == AttackMode.UNTARGETED || attack.supportsTargeted() || this == BEARD;
    }

    /** Targets are (y + offset) mod this: the class count, or BEARD's fixed 10. */
    public int targetModulus(int classes) {
        return this == BEARD ? BEARD_TARGET_MODULUS : classes;
    }

    /**
     * Whether a run checks its invariants (perturbation within eps, images in [0, 1]): BEARD's clamp acts on
     * normalized tensors, so its adversarial images break them by design.
     */
    public boolean checksInvariants() {
        return this == SOUND;
    }

    /**
     * Whether an iterative attack stops spending passes on a sample once it is fooled, keeping the iterate that fooled
     * it: the sound protocol counts passes, and an image already fooled needs none. BEARD's attacks run every sample
     * to the last step (and may lose a success on the way), as torchattacks does.
     */
    public boolean stopsOnSuccess() {
        return this == SOUND;
    }

    /**
     * Whether an attack that can ({@link PooledAttack}) runs over the whole test set in full batches, images fooled
     * leaving and images of later batches joining: the sound protocol; BEARD keeps torchattacks' batches, on which its
     * random streams, and so parity, depend.
     */
    public boolean poolsBatches() {
        return this == SOUND;
    }

    /** Budget grids are pixel-space budgets: BEARD's budgets act on normalized tensors, where a grid means nothing. */
    public boolean allowsBudgetGrid() {
        return this == SOUND;
    }

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

    /**
     * The protocol's version, recorded with every evaluation (EvaluationRecord.RunSettings.protocolVersion): raised
     * whenever a change alters what a run of this protocol measures, so a record made under other rules is told apart.
     */
    public int version() {
        return 1;
    }

    @Override
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AttackProtocol fromKey(String key) {
        return Keyed.fromKey(AttackProtocol.class, key)
                .orElseThrow(() -> new InvalidInputException("unknown protocol '" + key + "' (expected beard or sound)"));
    }
}
