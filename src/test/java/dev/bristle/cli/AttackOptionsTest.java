package dev.bristle.cli;

import dev.bristle.ml.attack.AttackProtocol;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttackOptionsTest {

    @Test
    void unknownAttackNamesListTheValidOnes() {
        CliUsageException e = assertThrows(CliUsageException.class,
                () -> AttackOptions.parse(Map.of("--attacks", "FGSM,Fool")));
        assertTrue(e.getMessage().contains("unknown attack 'Fool'"), e.getMessage());
        assertTrue(e.getMessage().contains("FGSM, PGD, PGD_L2, CW, DeepFool, AutoAttack, Square, SPSA, Noise"),
                e.getMessage());
    }

    @Test
    void unknownModesAndProtocolsListTheValidOnes() {
        CliUsageException mode = assertThrows(CliUsageException.class,
                () -> AttackOptions.parse(Map.of("--attacks", "FGSM", "--modes", "targetted")));
        assertTrue(mode.getMessage().contains("valid modes: targeted, untargeted"), mode.getMessage());
        CliUsageException protocol = assertThrows(CliUsageException.class,
                () -> AttackOptions.parse(Map.of("--attacks", "FGSM", "--protocol", "torch")));
        assertTrue(protocol.getMessage().contains("valid protocols: sound, beard"), protocol.getMessage());
        assertThrows(CliUsageException.class, () -> AttackOptions.parse(Map.of("--attacks", "FGSM", "--eps", "8/0")));
        assertThrows(CliUsageException.class, () -> AttackOptions.parse(Map.of("--modes", "targeted")));
    }

    @Test
    void namesAreCaseInsensitiveAndDefaultsAreSound() {
        AttackOptions options = AttackOptions.parse(Map.of("--attacks", "fgsm,pgd_l2,deepfool"));
        assertEquals(AttackProtocol.SOUND, options.protocol());
        assertEquals(3, options.attacks(10).size());
        assertEquals("PGD_L2", options.attacks(10).get(1).name());
        assertEquals(1 / 255.0, options.settings().get("eps"), "the sound protocol's recorded L-inf budget");
        assertEquals(0.25, options.settings().get("epsL2"));
        assertEquals(Map.of("linf", List.of(1 / 255.0, 2 / 255.0, 4 / 255.0, 8 / 255.0), "l2", List.of(0.125, 0.25, 0.5)),
                options.settings().get("grid"), "the sound protocol sweeps the default grid");
        assertNull(AttackOptions.parse(Map.of()));
    }

    @Test
    void beardKeepsItsBudgetsAndSweepsNothingByDefault() {
        AttackOptions options = AttackOptions.parse(Map.of("--attacks", "FGSM,PGD_L2", "--protocol", "beard"));
        assertEquals(8 / 255.0, options.settings().get("eps"));
        assertEquals(128 / 255.0, options.settings().get("epsL2"));
        assertNull(options.settings().get("grid"));
        assertEquals(15 / 255.0, options.attacks(10).get(1).hyperparameters().get("alpha"));
    }

    @Test
    void gridsAreParsedSortedAndCheckedWithClearMessages() {
        AttackOptions options = AttackOptions.parse(Map.of("--attacks", "FGSM", "--grid", "4/255, 1/255;0.5,0.1"));
        assertEquals(Map.of("linf", List.of(1 / 255.0, 4 / 255.0), "l2", List.of(0.1, 0.5)),
                options.settings().get("grid"));
        CliUsageException shape = assertThrows(CliUsageException.class,
                () -> AttackOptions.parse(Map.of("--attacks", "FGSM", "--grid", "1/255,2/255")));
        assertTrue(shape.getMessage().contains("\"LINF,...;L2,...\""), shape.getMessage());
        CliUsageException value = assertThrows(CliUsageException.class,
                () -> AttackOptions.parse(Map.of("--attacks", "FGSM", "--grid", "2;0.5")));
        assertTrue(value.getMessage().contains("--grid: expected a number in [0, 1]"), value.getMessage());
        CliUsageException plot = assertThrows(CliUsageException.class, () -> AttackOptions.parse(
                Map.of("--attacks", "FGSM", "--grid", "none", "--plot", "curves.svg")));
        assertTrue(plot.getMessage().contains("--plot needs a budget grid"), plot.getMessage());
        assertThrows(CliUsageException.class,
                () -> AttackOptions.parse(Map.of("--attacks", "PGD_L2", "--eps-l2", "-1")));
    }
}
