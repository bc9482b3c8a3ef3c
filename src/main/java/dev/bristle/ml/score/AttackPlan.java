package dev.bristle.ml.score;

import ai.djl.Device;
import dev.bristle.ml.attack.Attack;
import dev.bristle.ml.attack.AttackBudgets;
import dev.bristle.ml.attack.AttackLibrary;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.attack.AttackTarget;
import dev.bristle.ml.attack.AutoAttack;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.torch.HostTensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which attacks a scoring run measures its students with, in which modes and protocol.
 *
 * @param attacks  names of {@link AttackLibrary#NAMES}, in report order; empty: no attack stage
 * @param modes    targeted and/or untargeted
 * @param protocol BEARD's as published, or the sound pixel-space one
 * @param budgets  budgets of the L-inf attacks and of PGD-L2
 * @param seed     seed of every random choice of the attacks
 */
public record AttackPlan(List<String> attacks, List<AttackMode> modes, AttackProtocol protocol, AttackBudgets budgets,
                         long seed) {

    /** A plan at the protocol's recorded budgets ({@link AttackBudgets#of}). */
    public static AttackPlan of(List<String> attacks, List<AttackMode> modes, AttackProtocol protocol, long seed) {
        return new AttackPlan(attacks, modes, protocol, AttackBudgets.of(protocol), seed);
    }

    public AttackPlan {
        attacks = List.copyOf(attacks);
        modes = List.copyOf(modes);
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
        return attacks.stream().map(name -> AttackLibrary.create(name, protocol, budgets, AutoAttack.Version.TORCHATTACKS,
                classes)).toList();
    }

    /** Whether {@code attack} runs in {@code mode} (BEARD's protocol scores clean images where it cannot target). */
    public boolean runs(Attack attack, AttackMode mode) {
        return mode == AttackMode.UNTARGETED || attack.supportsTargeted() || protocol == AttackProtocol.BEARD;
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
