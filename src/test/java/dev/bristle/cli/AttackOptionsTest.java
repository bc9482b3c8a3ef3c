package dev.bristle.cli;

import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.attack.AutoAttack;
import dev.bristle.ml.attack.BudgetSweep;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.score.AttackPlan;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The attack options evaluate and score share, parsed by picocli as either command parses them. */
class AttackOptionsTest {

    @Command(name = "options")
    static final class Holder {
        @Mixin
        AttackOptions options;
    }

    private static AttackOptions parse(String... args) {
        Holder holder = new Holder();
        new CommandLine(holder).parseArgs(args);
        return holder.options;
    }

    private static String refusal(String... args) {
        return assertThrows(ParameterException.class, () -> parse(args)).getMessage();
    }

    @Test
    void unknownAttackNamesListTheValidOnes() {
        String message = refusal("--attacks", "FGSM,Fool");
        assertTrue(message.contains("unknown attack 'Fool'"), message);
        assertTrue(message.contains("FGSM, PGD, PGD_L2, CW, DeepFool, AutoAttack, Square, SPSA, Noise (or all)"),
                message);
    }

    @Test
    void unknownModesProtocolsAndBudgetsAreRefusedWithTheValidOnes() {
        assertTrue(refusal("--attacks", "FGSM", "--modes", "targetted").contains("valid modes: targeted, untargeted"));
        assertTrue(refusal("--attacks", "FGSM", "--protocol", "torch").contains("valid protocols: sound, beard"));
        assertTrue(refusal("--attacks", "FGSM", "--eps", "8/0").contains("--eps: expected a number in [0, 1]"));
        assertTrue(refusal("--attacks", "PGD_L2", "--eps-l2", "-1").contains("--eps-l2"));
        assertTrue(refusal("--autoattack", "newest").contains("valid versions: torchattacks, standard"));
    }

    @Test
    void namesAreCaseInsensitiveAllMeansEveryAttackAndDefaultsAreSound() {
        AttackPlan plan = parse("--attacks", "fgsm,pgd_l2,deepfool,FGSM").plan(DatasetKind.CIFAR10);
        assertEquals(List.of("FGSM", "PGD_L2", "DeepFool"), plan.attacks());
        assertEquals(AttackProtocol.SOUND, plan.protocol());
        assertEquals(List.of(AttackMode.TARGETED, AttackMode.UNTARGETED), plan.modes());
        assertEquals(1 / 255.0, plan.budgets().linf(), "the sound protocol's recorded L-inf budget");
        assertEquals(0.25, plan.budgets().l2());
        assertEquals(BudgetSweep.Grid.DEFAULT, plan.grid(), "the sound protocol sweeps the default grid");
        assertEquals(AutoAttack.Version.TORCHATTACKS, plan.autoAttack());
        assertEquals(9, parse("--attacks", "all").plan(DatasetKind.CIFAR10).attacks().size());
        assertFalse(parse().requested());
    }

    @Test
    void beardKeepsItsBudgetsAndSweepsNothingByDefault() {
        AttackPlan plan = parse("--attacks", "FGSM,PGD_L2", "--protocol", "beard", "--autoattack", "standard").plan(DatasetKind.CIFAR10);
        assertEquals(8 / 255.0, plan.budgets().linf());
        assertEquals(128 / 255.0, plan.budgets().l2());
        assertNull(plan.grid());
        assertEquals(15 / 255.0, plan.build(10).get(1).hyperparameters().get("alpha"));
        assertEquals(AutoAttack.Version.STANDARD, plan.autoAttack());
    }

    @Test
    void gridsAreParsedSortedAndCheckedWithClearMessages() {
        assertEquals(new BudgetSweep.Grid(List.of(1 / 255.0, 4 / 255.0), List.of(0.1, 0.5)),
                parse("--attacks", "FGSM", "--grid", "4/255, 1/255;0.5,0.1").plan(DatasetKind.CIFAR10).grid());
        assertTrue(refusal("--attacks", "FGSM", "--grid", "1/255,2/255").contains("\"LINF,...;L2,...\""));
        assertTrue(refusal("--attacks", "FGSM", "--grid", "2;0.5").contains("--grid: expected a number in [0, 1]"));
        CliUsageException plot = assertThrows(CliUsageException.class,
                () -> parse("--attacks", "FGSM", "--grid", "none", "--plot", "curves.svg").plan(DatasetKind.CIFAR10));
        assertTrue(plot.getMessage().contains("--plot needs --attacks and a budget grid"), plot.getMessage());
        CliUsageException beardGrid = assertThrows(CliUsageException.class,
                () -> parse("--attacks", "FGSM", "--protocol", "beard", "--grid", "default").plan(DatasetKind.CIFAR10));
        assertTrue(beardGrid.getMessage().contains("--grid needs --protocol sound"), beardGrid.getMessage());
    }
}
