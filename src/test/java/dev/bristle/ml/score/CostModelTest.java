package dev.bristle.ml.score;

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
import dev.bristle.ml.attack.BudgetSweep;
import dev.bristle.ml.attack.CleanRun;
import dev.bristle.ml.data.CifarBinaryReader;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.ImageSet;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.torch.TorchCheckpoint;
import dev.bristle.ml.train.TrainingRecipe;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The passes the cost model counts from a run's settings, and the passes the attacks really spend on BACON. */
class CostModelTest {

    private static final DatasetKind CIFAR = DatasetKind.CIFAR10;
    private static final List<AttackMode> BOTH = List.of(AttackMode.UNTARGETED, AttackMode.TARGETED);

    private static CostModel.AttackCost cost(String attack, AttackProtocol protocol) {
        return CostModel.attack(create(attack, protocol), protocol, AttackMode.UNTARGETED, CIFAR.classCount());
    }

    private static Attack create(String attack, AttackProtocol protocol) {
        return AttackLibrary.create(attack, protocol, AttackBudgets.of(protocol, CIFAR),
                AutoAttack.Version.TORCHATTACKS, CIFAR.classCount());
    }

    @Test
    void eachAttacksBudgetFollowsFromItsParameters() {
        AttackProtocol beard = AttackProtocol.BEARD;
        AttackProtocol sound = AttackProtocol.SOUND;
        assertEquals(3, cost("FGSM", sound).budget());
        // Ten gradient steps and the scoring pass; BEARD runs every image to the last step, the sound protocol not.
        assertEquals(21, cost("PGD", beard).always());
        assertFalse(cost("PGD", beard).stopsEarly());
        assertEquals(21, cost("PGD_L2", sound).budget());
        assertTrue(cost("PGD_L2", sound).stopsEarly());
        assertEquals(201, cost("CW", sound).budget());
        // 50 steps of the nine gradient gaps, forward and backward; torchattacks' way adds a one-image pass per step.
        assertEquals(1 + 50 * 18, cost("DeepFool", sound).budget());
        assertEquals(1 + 50 * 19, cost("DeepFool", beard).budget());
        assertEquals(5002, cost("Square", beard).budget());
        assertEquals(1 + 256, cost("SPSA", beard).budget());
        assertEquals(1 + 257, cost("SPSA", sound).budget());
        assertEquals(1, cost("Noise", sound).budget());
        // APGD-CE (22 + its scoring pass), APGD-T over 9 classes, FAB-T over 9 classes (its start, 10 steps of a
        // forward pass, the backward pass of the aimed logit minus the label's and a forward pass of the new point, its
        // result), Square, each component's check, and the final scoring pass.
        double autoAttack = 1 + (1 + 1 + 22) + (1 + 1 + 9 * 22) + (1 + 9 * (2 + 10 * 3)) + (1 + 1 + 5000);
        assertEquals(autoAttack, cost("AutoAttack", beard).budget());
        assertEquals(autoAttack, cost("AutoAttack", sound).budget());
    }

    @Test
    void aRunsPassesAddUpItsTrainingEvaluationAndAttackRuns() {
        AttackPlan plan = AttackPlan.of(List.of("FGSM", "PGD"), BOTH, AttackProtocol.BEARD, 0, CIFAR);
        CostModel model = new CostModel(CostModel.Resisting.ALL);
        CostModel.RunCost run = model.run(5, true, 1001, 100, TrainingRecipe.STANDARD, plan, 10_000, 1000,
                CIFAR.classCount());
        assertEquals(5L * 1001 * 100 * 2, run.training());
        // Clean accuracy, the attack session's clean pass, the gradient census (forward and backward).
        assertEquals(5L * 10_000 * (1 + 1 + 2), run.evaluation());
        assertEquals(4, run.attacks().size());
        // Each attack task's session starts with a clean pass.
        assertEquals(5L * 10_000 * ((1 + 3) + (1 + 21)) * 2, run.attackPasses());
        // Shards of 1,024 images: PGD's (1,024 x 22 passes) costs less than a student's clean evaluation.
        assertEquals(10_000L * 4, run.largestTask());
        // Training, per student a clean evaluation and ten shards of each of the four attack runs, the assembly.
        assertEquals(1 + 5 * (1 + 4 * 10) + 1, run.tasks());
        assertEquals(run.budgetPasses(), run.attackPasses());
        CostModel.RunCost unsharded = model.run(5, true, 1001, 100, TrainingRecipe.STANDARD, plan, 10_000, 10_000,
                CIFAR.classCount());
        assertEquals(10_000L * (1 + 21), unsharded.largestTask(), "one shard: PGD over every test image");
        assertEquals(1 + 5 * (1 + 4) + 1, unsharded.tasks());
        assertEquals(run.total(), unsharded.total(), "shards change the tasks, not the passes");

        CostModel.RunCost adversarial = model.run(1, true, 11, 10, TrainingRecipe.of("pgd-at", CIFAR),
                AttackPlan.none(), 100, 1000, CIFAR.classCount());
        assertEquals(11L * 10 * 2 * (1 + TrainingRecipe.DEFAULT_STEPS), adversarial.training());
        assertEquals(100, adversarial.evaluation());
        assertEquals(0, adversarial.attackPasses());

        CostModel.RunCost checkpoint = model.run(1, false, 0, 0, TrainingRecipe.STANDARD, plan, 100, 1000,
                CIFAR.classCount());
        assertEquals(0, checkpoint.training());
    }

    /**
     * An official run's tasks (five students, every attack in both modes, 10,000 test images): one per attack run
     * before shards; with the default shards of 1,000 images (1,024: four batches), ten per attack run.
     */
    @Test
    void anOfficialRunIsSplitIntoHundredsOfShardTasks() {
        CostModel model = new CostModel(CostModel.Resisting.PRIOR);
        for (AttackProtocol protocol : AttackProtocol.values()) {
            AttackPlan plan = AttackPlan.of(AttackLibrary.NAMES, BOTH, protocol, 0, CIFAR);
            int runs = protocol == AttackProtocol.BEARD ? 18 : 15;
            CostModel.RunCost whole = model.run(5, true, 1001, 100, TrainingRecipe.STANDARD, plan, 10_000, 10_000,
                    CIFAR.classCount());
            CostModel.RunCost sharded = model.run(5, true, 1001, 100, TrainingRecipe.STANDARD, plan, 10_000,
                    ScoringPipeline.Request.DEFAULT_SHARD_IMAGES, CIFAR.classCount());
            assertEquals(runs, whole.attacks().size(), protocol.key());
            assertEquals(1 + 5 * (1 + runs) + 1, whole.tasks(), protocol.key());
            assertEquals(1 + 5 * (1 + runs * 10) + 1, sharded.tasks(), protocol.key());
            assertTrue(sharded.largestTask() * 9 < whole.largestTask(), "the largest task shrinks with its shard");
            System.out.printf(java.util.Locale.ROOT, "official run, %s protocol: %d tasks unsharded, %d in shards of"
                    + " 1,024 images; largest task %,d passes, was %,d%n", protocol.key(), whole.tasks(),
                    sharded.tasks(), sharded.largestTask(), whole.largestTask());
        }
    }

    @Test
    void aGridAddsARunPerBudgetAndEarlyStoppingAttacksCountTheirResistingShare() {
        AttackPlan plan = AttackPlan.of(List.of("PGD", "Square"), List.of(AttackMode.UNTARGETED),
                AttackProtocol.SOUND, 0, CIFAR);
        CostModel half = new CostModel(new CostModel.Resisting(0.5, 0.5));
        CostModel.RunCost recorded = half.run(1, false, 0, 0, TrainingRecipe.STANDARD, plan, 1000, 1000, 10);
        assertEquals(1000L * ((1 + 1 + 20 * 0.5) + (1 + 2 + 5000 * 0.5)), recorded.attackPasses());
        assertEquals(1000L * ((1 + 21) + (1 + 5002)), recorded.budgetPasses());
        CostModel.RunCost grid = half.run(1, false, 0, 0, TrainingRecipe.STANDARD,
                plan.withGrid(BudgetSweep.Grid.DEFAULT), 1000, 1000, 10);
        assertEquals(2 + 2 * (BudgetSweep.Grid.DEFAULT.linf().size() - 1), grid.attacks().size());
    }

    /**
     * The model against what the attacks spend on BEARD's BACON student (8 exact CIFAR-10 test images): BEARD's
     * protocol spends FGSM's and PGD's budgets exactly; in the sound protocol no image spends more than the budget.
     */
    @Test
    void noAttackSpendsMoreThanItsBudgetAndBeardsGradientAttacksSpendAllOfIt() throws IOException {
        ImageSet data = CifarBinaryReader.read(CIFAR, SharedData.path(
                "data/cifar-10-partial-official/test_first932.bin")).subset(8);
        var weights = TorchCheckpoint.readStateDict(SharedData.path(
                "beard/model-pool/BACON_ConvNet_CIFAR10_50_None_0.6995.pth"));
        for (AttackProtocol protocol : AttackProtocol.values()) {
            try (PixelSpaceModel model = AttackTarget.attackedModel(protocol, weights, 32, CIFAR.mean(), CIFAR.std(),
                    Device.cpu())) {
                AttackSuite suite = new AttackSuite(AttackTarget.of(protocol, model, CIFAR.mean(), CIFAR.std()), 8,
                        0, 1, AttackSuite.Progress.NONE);
                CleanRun clean = suite.clean(data.pixels(), data.labels());
                for (String name : List.of("FGSM", "PGD", "PGD_L2", "Noise")) {
                    CostModel.AttackCost cost = cost(name, protocol);
                    AttackRun run = suite.run(create(name, protocol), AttackMode.UNTARGETED, data.pixels(),
                            data.labels(), clean);
                    for (int i = 0; i < 8; i++) {
                        double spent = 1 + run.forwardPasses()[i] + run.backwardPasses()[i];
                        assertTrue(spent <= cost.budget(), protocol + " " + name + " image " + i + ": " + spent);
                        if (!cost.stopsEarly()) assertEquals(cost.budget(), spent, protocol + " " + name);
                    }
                }
            }
        }
    }
}
