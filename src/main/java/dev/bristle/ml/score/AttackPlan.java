package dev.bristle.ml.score;

import ai.djl.Device;
import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.attack.Attack;
import dev.bristle.ml.attack.AttackBudgets;
import dev.bristle.ml.attack.AttackLibrary;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.attack.AttackTarget;
import dev.bristle.ml.attack.AutoAttack;
import dev.bristle.ml.attack.Budget;
import dev.bristle.ml.attack.BudgetSweep;
import dev.bristle.ml.attack.Norm;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.torch.HostTensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * Which attacks a scoring run measures its students with, in which modes and protocol.
 *
 * @param attacks  names of {@link AttackLibrary#NAMES}, in report order; empty: no attack stage
 * @param modes    targeted and/or untargeted
 * @param protocol BEARD's as published, or the sound pixel-space one
 * @param budgets  budgets of the L-inf attacks and of PGD-L2
 * @param seed     seed of every random choice of the attacks
 * @param grid       budgets each budgeted attack also runs at, for accuracy-versus-budget curves (the unbounded
 *                   ones read their curve off the minimal perturbations at the L2 budgets); null: the recorded
 *                   budgets only
 * @param autoAttack which AutoAttack composition runs
 */
public record AttackPlan(List<String> attacks, List<AttackMode> modes, AttackProtocol protocol, AttackBudgets budgets,
                         long seed, BudgetSweep.Grid grid, AutoAttack.Version autoAttack) {

    /** A plan at the protocol's recorded budgets ({@link AttackBudgets#of}), without a grid, AutoAttack as BEARD ran it. */
    public static AttackPlan of(List<String> attacks, List<AttackMode> modes, AttackProtocol protocol, long seed) {
        return new AttackPlan(attacks, modes, protocol, AttackBudgets.of(protocol), seed, null,
                AutoAttack.Version.TORCHATTACKS);
    }

    /** A plan at {@code dataset}'s recorded budgets in the protocol ({@link AttackBudgets#of(AttackProtocol, DatasetKind)}). */
    public static AttackPlan of(List<String> attacks, List<AttackMode> modes, AttackProtocol protocol, long seed,
                                DatasetKind dataset) {
        return new AttackPlan(attacks, modes, protocol, AttackBudgets.of(protocol, dataset), seed, null,
                AutoAttack.Version.TORCHATTACKS);
    }

    public AttackPlan {
        attacks = List.copyOf(attacks);
        modes = List.copyOf(modes);
        if (grid != null && !protocol.allowsBudgetGrid()) {
            throw new InvalidInputException("a budget grid needs the sound protocol: BEARD's budgets act on"
                    + " normalized tensors");
        }
    }

    public AttackPlan withGrid(BudgetSweep.Grid grid) {
        return new AttackPlan(attacks, modes, protocol, budgets, seed, grid, autoAttack);
    }

    /**
     * The budgets {@code attack} runs at besides the recorded one (budgeted attacks), or the L2 budgets its curve is
     * read at (unbounded attacks); empty without a grid.
     */
    public List<Double> gridBudgets(Attack attack) {
        if (grid == null) return List.of();
        if (attack.budget().isEmpty()) return grid.l2();
        Norm norm = attack.budget().get().norm();
        return grid.of(norm).stream().filter(eps -> eps != budgets.of(norm)).toList();
    }

    /**
     * {@code attack}'s accuracy-versus-budget curve in {@code mode} under this plan's grid: the clean accuracy at 0,
     * then the accuracy at each grid budget, the recorded one included for a budgeted attack; an unbudgeted attack's
     * over the L2 grid, as read off its minimal perturbations.
     *
     * @param recordedAccuracy accuracy of the run at the recorded budget
     * @param gridAccuracy     accuracy at a grid budget
     */
    public BudgetSweep.Curve curve(Attack attack, AttackMode mode, double cleanAccuracy, double recordedAccuracy,
                                   DoubleUnaryOperator gridAccuracy) {
        boolean budgeted = attack.budget().isPresent();
        Norm norm = attack.budget().map(Budget::norm).orElse(Norm.L2);
        double recorded = budgets.of(norm);
        List<BudgetSweep.Point> points = new ArrayList<>();
        points.add(new BudgetSweep.Point(0, cleanAccuracy));
        for (double eps : budgeted ? grid.with(norm, recorded) : grid.l2()) {
            points.add(new BudgetSweep.Point(eps, budgeted && eps == recorded ? recordedAccuracy
                    : gridAccuracy.applyAsDouble(eps)));
        }
        return new BudgetSweep.Curve(attack.name(), mode, norm, budgeted, points);
    }

    /** {@code attack} at budget {@code eps} of its norm instead of the recorded one. */
    public Attack at(Attack attack, double eps, int classes) {
        Norm norm = attack.budget().orElseThrow().norm();
        return AttackLibrary.create(attack.name(), protocol, budgets.with(norm, eps), autoAttack, classes);
    }

    public static AttackPlan none() {
        return of(List.of(), List.of(), AttackProtocol.BEARD, 0);
    }

    public boolean isEmpty() {
        return attacks.isEmpty() || modes.isEmpty();
    }

    /** Unknown attack names, each as a message; empty when all are known. */
    public static List<String> problems(List<String> attacks) {
        List<String> problems = new ArrayList<>();
        for (String name : attacks) {
            if (!AttackLibrary.NAMES.contains(name)) {
                problems.add("unknown attack '" + name + "' (known: " + String.join(", ", AttackLibrary.NAMES) + ")");
            }
        }
        return problems;
    }

    public List<Attack> build(int classes) {
        return attacks.stream().map(name -> AttackLibrary.create(name, protocol, budgets, autoAttack, classes))
                .toList();
    }

    /** Whether {@code attack} runs in {@code mode} (BEARD's protocol scores clean images where it cannot target). */
    public boolean runs(Attack attack, AttackMode mode) {
        return protocol.runs(attack, mode);
    }

    /** A student as this plan's protocol attacks it ({@link AttackTarget#attackedModel}). */
    public PixelSpaceModel attackedModel(Map<String, HostTensor> weights, DatasetKind dataset, Device device) {
        return AttackTarget.attackedModel(protocol, weights, dataset.imageSize(), dataset.mean(), dataset.std(),
                device);
    }

    /** The attack target of a model made by {@link #attackedModel}. */
    public AttackTarget target(PixelSpaceModel attackedModel, DatasetKind dataset) {
        return AttackTarget.of(protocol, attackedModel, dataset.mean(), dataset.std());
    }
}
