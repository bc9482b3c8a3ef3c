package dev.bristle.ml.score;

import ai.djl.Device;
import dev.bristle.ml.attack.Attack;
import dev.bristle.ml.attack.AttackLibrary;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.attack.AttackTarget;
import dev.bristle.ml.attack.AutoAttack;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.torch.HostTensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Which attacks a scoring run measures its students with, in which modes and protocol.
 *
 * @param attacks  names of {@link AttackLibrary#NAMES}, in report order; empty: no attack stage
 * @param modes    targeted and/or untargeted
 * @param protocol BEARD's as published, or the sound pixel-space one
 * @param eps      L-inf budget of the L-inf attacks
 * @param seed     seed of every random choice of the attacks
 */
public record AttackPlan(List<String> attacks, List<AttackMode> modes, AttackProtocol protocol, double eps,
                         long seed) {

    /** BEARD's budget, 8/255. */
    public static final double BEARD_EPS = 8 / 255.0;

    public AttackPlan {
        attacks = List.copyOf(attacks);
        modes = List.copyOf(modes);
    }

    public static AttackPlan none() {
        return new AttackPlan(List.of(), List.of(), AttackProtocol.BEARD, BEARD_EPS, 0);
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
        return attacks.stream().map(name -> AttackLibrary.create(name, protocol, eps, AutoAttack.Version.TORCHATTACKS,
                classes)).toList();
    }

    /** Whether {@code attack} runs in {@code mode} (BEARD's protocol scores clean images where it cannot target). */
    public boolean runs(Attack attack, AttackMode mode) {
        return mode == AttackMode.UNTARGETED || attack.supportsTargeted() || protocol == AttackProtocol.BEARD;
    }

    /**
     * A student as this plan's protocol attacks it: in pixel space with its normalization inside (sound), or without
     * the normalization, on normalized tensors (BEARD's); see {@link #target}.
     */
    public PixelSpaceModel attackedModel(Map<String, HostTensor> weights, DatasetKind dataset, Device device) {
        if (protocol == AttackProtocol.SOUND) {
            return PixelSpaceModel.fromStateDict(weights, dataset.imageSize(), dataset.mean(), dataset.std(), device);
        }
        float[] zero = new float[dataset.channels()];
        float[] one = new float[dataset.channels()];
        Arrays.fill(one, 1f);
        return PixelSpaceModel.fromStateDict(weights, dataset.imageSize(), zero, one, device);
    }

    /** The attack target of a model made by {@link #attackedModel}. */
    public AttackTarget target(PixelSpaceModel attackedModel, DatasetKind dataset) {
        return protocol == AttackProtocol.SOUND ? AttackTarget.sound(attackedModel)
                : AttackTarget.beard(attackedModel, dataset.mean(), dataset.std());
    }
}
