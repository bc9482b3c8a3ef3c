package dev.bristle.ml.attack;

import dev.bristle.ml.data.DatasetKind;

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
     * The sound protocol's recorded budgets, 1/255 and 0.25 in pixels: on BEARD's six CIFAR-10 students, the grid
     * budgets where PGD (PGD-L2) leaves about half the clean accuracy, so robust accuracy is far from both the clean
     * accuracy and zero and the students stay distinguishable (README, "Which budget").
     */
    public static final AttackBudgets SOUND = new AttackBudgets(1 / 255.0, 0.25);

    /**
     * Fashion-MNIST's recorded budgets in the sound protocol (its official settings; BEARD never measured it), in
     * pixels: L-inf 0.1, the budget of Fashion-MNIST's robustness literature (Wong and Kolter 2018's provable
     * defences, Croce and Hein's maximization of linear regions, 2019), where CIFAR-10's
     * 8/255 would leave standard students about 80 % of their clean accuracy; L2 0.8, the L-inf budget scaled by
     * CIFAR-10's conventional L2 / L-inf ratio (0.5 / (8/255) on 3,072 values) brought to 784 values
     * (0.1 x 15.9 x sqrt(784 / 3072) = 0.80) (README, "Fashion-MNIST's official settings").
     */
    public static final AttackBudgets SOUND_FASHION_MNIST = new AttackBudgets(0.1, 0.8);

    public AttackBudgets {
        new Budget(Norm.LINF, linf);
        new Budget(Norm.L2, l2);
    }

    public static AttackBudgets of(AttackProtocol protocol) {
        return protocol == AttackProtocol.BEARD ? BEARD : SOUND;
    }

    /** The recorded budgets of {@code dataset}'s boards in {@code protocol}. */
    public static AttackBudgets of(AttackProtocol protocol, DatasetKind dataset) {
        if (protocol == AttackProtocol.SOUND && dataset == DatasetKind.FASHION_MNIST) return SOUND_FASHION_MNIST;
        return of(protocol);
    }

    /** These budgets with {@code norm}'s replaced by {@code eps}. */
    public AttackBudgets with(Norm norm, double eps) {
        return norm == Norm.LINF ? new AttackBudgets(eps, l2) : new AttackBudgets(linf, eps);
    }

    /** The budget of {@code norm}. */
    public double of(Norm norm) {
        return norm == Norm.LINF ? linf : l2;
    }
}
