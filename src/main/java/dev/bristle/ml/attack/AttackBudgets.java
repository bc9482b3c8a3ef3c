package dev.bristle.ml.attack;

/**
 * The budgets a run's attacks are bounded by, in the attack space's units (pixels in the sound protocol): L-inf for
 * FGSM, PGD, AutoAttack, Square, SPSA and the noise baseline, L2 for PGD-L2.
 *
 * @param linf L-inf budget
 * @param l2   L2 budget
 */
public record AttackBudgets(double linf, double l2) {

    /** BEARD's settings, 8/255 and 128/255, which it applies to normalized tensors. */
    public static final AttackBudgets BEARD = new AttackBudgets(8 / 255.0, 128 / 255.0);

    /**
     * The sound protocol's recorded budget: 2/255 and 0.25 in pixels. Measured on BEARD's six CIFAR-10 students (see
     * README, "Which budget"): the L-inf grid point closest to what BEARD's 8/255 amounted to on pixels, and the one
     * where robust accuracy is furthest from both the clean accuracy and zero, so the students stay distinguishable.
     */
    public static final AttackBudgets SOUND = new AttackBudgets(2 / 255.0, 0.25);

    public AttackBudgets {
        new Budget(Norm.LINF, linf);
        new Budget(Norm.L2, l2);
    }

    public static AttackBudgets of(AttackProtocol protocol) {
        return protocol == AttackProtocol.BEARD ? BEARD : SOUND;
    }

    public AttackBudgets withLinf(double eps) {
        return new AttackBudgets(eps, l2);
    }

    public AttackBudgets withL2(double eps) {
        return new AttackBudgets(linf, eps);
    }

    /** The budget of {@code norm}. */
    public double of(Norm norm) {
        return norm == Norm.LINF ? linf : l2;
    }
}
