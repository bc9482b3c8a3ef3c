package dev.bristle.ml.attack;

import java.util.List;

/** The attacks by name, with BEARD's settings at the given budgets. */
public final class AttackLibrary {

    /** Names in the order results are reported. */
    public static final List<String> NAMES =
            List.of("FGSM", "PGD", "PGD_L2", "CW", "DeepFool", "AutoAttack", "Square", "SPSA", "Noise");
    /** BEARD's PGD step, 2/225: a typo for 2/255 kept in the BEARD protocol. */
    public static final double BEARD_PGD_STEP = 2 / 225.0;
    /** PGD's step in the sound protocol as a fraction of eps: 2/255 at 8/255, as Madry et al. and torchattacks. */
    public static final double PGD_STEP_PER_EPS = 0.25;
    /** BEARD's PGD-L2 step, 15/255 (at eps 128/255). */
    public static final double BEARD_PGD_L2_STEP = 15 / 255.0;
    /** PGD-L2's step in the sound protocol as a fraction of eps: BEARD's ratio, so ten steps can cross the ball. */
    public static final double PGD_L2_STEP_PER_EPS = 15 / 128.0;

    private AttackLibrary() {
    }

    /**
     * @param name      one of {@link #NAMES}
     * @param protocol  BEARD keeps its PGD steps (2/225, 15/255) and torchattacks' one-image DeepFool passes; the sound
     *                  protocol scales the steps with eps
     * @param budgets   L-inf budget of FGSM, PGD, AutoAttack, Square, SPSA and Noise, L2 budget of PGD-L2
     * @param autoAttack which AutoAttack composition
     * @param classes   the model's class count
     */
    public static Attack create(String name, AttackProtocol protocol, AttackBudgets budgets,
                                AutoAttack.Version autoAttack, int classes) {
        double eps = budgets.linf();
        return switch (name) {
            case "FGSM" -> new Fgsm(eps);
            case "PGD" -> new Pgd(eps, protocol == AttackProtocol.BEARD ? BEARD_PGD_STEP : eps * PGD_STEP_PER_EPS, 10,
                    false);
            case "PGD_L2" -> new PgdL2(budgets.l2(),
                    protocol == AttackProtocol.BEARD ? BEARD_PGD_L2_STEP : budgets.l2() * PGD_L2_STEP_PER_EPS, 10, false);
            case "CW" -> new CarliniWagnerL2(1, 0, 100, 0.01, true);
            case "DeepFool" -> new DeepFool(50, 0.02,
                    protocol == AttackProtocol.BEARD ? DeepFool.Logits.SINGLE_IMAGE : DeepFool.Logits.BATCHED);
            case "AutoAttack" -> new AutoAttack(autoAttack, eps, classes);
            case "Square" -> new Square(eps, 5000, 0.8, true, 1);
            case "SPSA" -> new Spsa(eps, 0.01, 0.01, 1, 128);
            case "Noise" -> new UniformNoise(eps);
            default -> throw new IllegalArgumentException("unknown attack '" + name + "'; valid attacks: "
                    + String.join(", ", NAMES));
        };
    }
}
