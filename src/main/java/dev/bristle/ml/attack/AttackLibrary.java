package dev.bristle.ml.attack;

import dev.bristle.input.InvalidInputException;

import java.util.List;

/** The attacks by name, with BEARD's settings at the given budgets. */
public final class AttackLibrary {

    /** Names in the order results are reported. */
    public static final List<String> NAMES =
            List.of("FGSM", "PGD", "PGD_L2", "CW", "DeepFool", "AutoAttack", "Square", "SPSA", "Noise");
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
            case "PGD" -> new Pgd(eps, protocol.pgdStep(eps), 10, false);
            case "PGD_L2" -> new PgdL2(budgets.l2(), protocol.pgdL2Step(budgets.l2()), 10, false);
            case "CW" -> new CarliniWagnerL2(1, 0, 100, 0.01, true);
            case "DeepFool" -> new DeepFool(50, 0.02, protocol.deepFoolLogits());
            case "AutoAttack" -> new AutoAttack(autoAttack, eps, classes);
            case "Square" -> new Square(eps, 5000, 0.8, true, 1);
            case "SPSA" -> new Spsa(eps, 0.01, 0.01, 1, 128);
            case "Noise" -> new UniformNoise(eps);
            default -> throw new InvalidInputException("unknown attack '" + name + "'; valid attacks: "
                    + String.join(", ", NAMES));
        };
    }
}
