package dev.bristle.ml.attack;

import java.util.List;

/** The attacks by name, with BEARD's settings (the L-inf ones at a given eps). */
public final class AttackLibrary {

    /** Names in the order results are reported. */
    public static final List<String> NAMES =
            List.of("FGSM", "PGD", "PGD_L2", "CW", "DeepFool", "AutoAttack", "Square", "SPSA", "Noise");
    /** BEARD's PGD step, 2/225: a typo for 2/255 kept in the BEARD protocol. */
    public static final double BEARD_PGD_STEP = 2 / 225.0;
    public static final double PGD_STEP = 2 / 255.0;

    private AttackLibrary() {
    }

    /**
     * @param name      one of {@link #NAMES}
     * @param protocol  BEARD keeps its PGD step of 2/225; the sound protocol uses 2/255
     * @param eps       L-inf budget of FGSM, PGD, AutoAttack, Square, SPSA and Noise
     * @param autoAttack which AutoAttack composition
     * @param classes   the model's class count
     */
    public static Attack create(String name, AttackProtocol protocol, double eps, AutoAttack.Version autoAttack,
                                int classes) {
        return switch (name) {
            case "FGSM" -> new Fgsm(eps);
            case "PGD" -> new Pgd(eps, protocol == AttackProtocol.BEARD ? BEARD_PGD_STEP : PGD_STEP, 10, false);
            case "PGD_L2" -> new PgdL2(128 / 255.0, 15 / 255.0, 10, false);
            case "CW" -> new CarliniWagnerL2(1, 0, 100, 0.01, true);
            case "DeepFool" -> new DeepFool(50, 0.02);
            case "AutoAttack" -> new AutoAttack(autoAttack, eps, classes);
            case "Square" -> new Square(eps, 5000, 0.8, true, 1);
            case "SPSA" -> new Spsa(eps, 0.01, 0.01, 1, 128);
            case "Noise" -> new UniformNoise(eps);
            default -> throw new IllegalArgumentException("unknown attack '" + name + "'; valid attacks: "
                    + String.join(", ", NAMES));
        };
    }
}
