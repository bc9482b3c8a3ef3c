package dev.bristle.cli;

import dev.bristle.ml.attack.AttackProtocol;
import org.junit.jupiter.api.Test;

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
        assertEquals(8 / 255.0, options.settings().get("eps"));
        assertNull(AttackOptions.parse(Map.of()));
    }
}
