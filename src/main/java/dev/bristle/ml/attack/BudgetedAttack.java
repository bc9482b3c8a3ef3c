package dev.bristle.ml.attack;

import dev.bristle.input.InvalidInputException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An attack that keeps its perturbation within eps in one norm: its budget, and the norm and eps at the head of
 * the hyperparameters every result records.
 */
abstract class BudgetedAttack implements Attack {

    private final Norm norm;
    protected final double eps;

    protected BudgetedAttack(Norm norm, double eps) {
        this.norm = norm;
        this.eps = eps;
    }

    @Override
    public final Optional<Budget> budget() {
        return Optional.of(new Budget(norm, eps));
    }

    @Override
    public final Map<String, Object> hyperparameters() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("norm", norm == Norm.LINF ? "Linf" : "L2");
        map.put("eps", eps);
        putSettings(map);
        return map;
    }

    /** Rejects a count below one of either of an attack's two loop counts (such as steps and restarts). */
    protected static void requirePositive(String attack, String first, int firstCount, String second,
                                          int secondCount) {
        if (firstCount < 1 || secondCount < 1) {
            throw new InvalidInputException(attack + " needs positive " + first + " and " + second + ", not "
                    + firstCount + " and " + secondCount);
        }
    }

    /** The attack's own settings, recorded after its norm and eps, in a stable order. */
    protected abstract void putSettings(Map<String, Object> map);
}
