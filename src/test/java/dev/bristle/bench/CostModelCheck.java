package dev.bristle.bench;

import ai.djl.Device;
import dev.bristle.ml.SharedData;
import dev.bristle.ml.attack.Attack;
import dev.bristle.ml.attack.AttackBudgets;
import dev.bristle.ml.attack.AttackLibrary;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.attack.AttackRun;
import dev.bristle.ml.attack.AttackSuite;
import dev.bristle.ml.attack.AttackTarget;
import dev.bristle.ml.attack.AutoAttack;
import dev.bristle.ml.attack.CleanRun;
import dev.bristle.ml.data.CifarBinaryReader;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.ImageSet;
import dev.bristle.ml.engine.Djl;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.score.CostModel;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.torch.TorchCheckpoint;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The cost model against the passes the attacks really spend (not a test: it prints, it does not judge): BEARD's
 * BACON student on the first exact CIFAR-10 test images, every attack in the given protocol and mode, its measured
 * passes per image beside the model's budget and its expected passes at {@link CostModel.Resisting#PRIOR}, and the
 * resisting share the measurement implies. Run with {@code ./mvnw -B -q -Pbench test-compile exec:exec
 * -Dbench.main=dev.bristle.bench.CostModelCheck -Dbench.args="64 sound untargeted"}; arguments: images (default 64),
 * protocol (default sound), mode (default untargeted) and optionally the attacks (default all).
 */
public final class CostModelCheck {

    public static void main(String[] args) throws IOException {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        AttackProtocol protocol = AttackProtocol.fromKey(args.length > 1 ? args[1] : "sound");
        AttackMode mode = AttackMode.fromKey(args.length > 2 ? args[2] : "untargeted");
        List<String> names = args.length > 3 ? List.of(args[3].split(",")) : AttackLibrary.NAMES;
        DatasetKind cifar = DatasetKind.CIFAR10;
        Djl.engine();
        Map<String, HostTensor> weights = TorchCheckpoint.readStateDict(SharedData.path(
                "beard/model-pool/BACON_ConvNet_CIFAR10_50_None_0.6995.pth"));
        ImageSet data = CifarBinaryReader.read(cifar, SharedData.path(
                "data/cifar-10-partial-official/test_first932.bin")).subset(images);
        System.out.printf("BACON student, %d exact CIFAR-10 test images, %s protocol, %s%n", images, protocol.key(),
                mode.key());
        double expectedAll = 0;
        double measuredAll = 0;
        try (PixelSpaceModel model = AttackTarget.attackedModel(protocol, weights, cifar.imageSize(), cifar.mean(),
                cifar.std(), Device.cpu())) {
            AttackTarget target = AttackTarget.of(protocol, model, cifar.mean(), cifar.std());
            AttackSuite suite = new AttackSuite(target, AttackSuite.DEFAULT_BATCH_SIZE, 0, 1,
                    AttackSuite.Progress.NONE);
            float[] pixels = data.pixels();
            CleanRun clean = suite.clean(pixels, data.labels());
            System.out.printf("clean accuracy %.1f %%%n", clean.accuracy());
            System.out.printf("| attack | accuracy | measured passes/img | model budget | model expected | ratio |"
                    + " implied resisting share | seconds |%n|---|---:|---:|---:|---:|---:|---:|---:|%n");
            CostModel model0 = new CostModel(CostModel.Resisting.PRIOR);
            for (String name : names) {
                Attack attack = AttackLibrary.create(name, protocol, AttackBudgets.of(protocol, cifar),
                        AutoAttack.Version.TORCHATTACKS, cifar.classCount());
                if (!suite.runs(attack, mode)) continue;
                CostModel.AttackCost cost = CostModel.attack(attack, protocol, mode, cifar.classCount());
                AttackRun run = suite.run(attack, mode, pixels, data.labels(), clean);
                double measured = run.passesPerSample();
                double expected = cost.expected(mode == AttackMode.TARGETED ? model0.resisting().targeted()
                        : model0.resisting().untargeted());
                expectedAll += expected;
                measuredAll += measured;
                String implied = cost.stopsEarly() && cost.ifResisting() > 0
                        ? String.format("%.2f", (measured - cost.always()) / cost.ifResisting()) : "-";
                System.out.printf("| %s | %.1f %% | %.1f | %.1f | %.1f | %.2f | %s | %.1f |%n", name, run.accuracy(),
                        measured, cost.budget(), expected, expected / measured, implied, run.seconds());
            }
        }
        System.out.printf("all attacks: measured %.1f, expected %.1f passes per image (ratio %.2f)%n", measuredAll,
                expectedAll, expectedAll / measuredAll);
    }
}
