package dev.bristle.keys;

import dev.bristle.accounts.Role;
import dev.bristle.leaderboard.Ipc;
import dev.bristle.leaderboard.SortDirection;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.score.DistilledFile;
import dev.bristle.ml.train.TrainingRecipe;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Enums read from their keys: any case where they accept it, their own message for a key they do not know. */
class KeyedTest {

    @Test
    void aKeyIsFoundWhateverItsCase() {
        assertEquals(Optional.of(AttackMode.UNTARGETED), Keyed.fromKey(AttackMode.class, "UnTargeted"));
        assertEquals(TrainingRecipe.Kind.PGD_AT, TrainingRecipe.Kind.fromKey("PGD-AT"));
        assertEquals(Optional.of(Ipc.ALL), Ipc.fromKey("ALL"));
        assertEquals(Optional.of(SortDirection.DESC), Keyed.fromKey(SortDirection.class, "Desc"));
        assertEquals(Role.MAINTAINER, Role.fromKey("maintainer"));
    }

    @Test
    void anUnknownOrMissingKeyIsNone() {
        assertEquals(Optional.empty(), Keyed.fromKey(AttackMode.class, null));
        assertEquals(Optional.empty(), Ipc.fromKey("2"));
        assertEquals(Optional.empty(), Keyed.fromKey(SortDirection.class, null));
        assertEquals("unknown attack mode 'sideways' (expected targeted or untargeted)",
                assertThrows(IllegalArgumentException.class, () -> AttackMode.fromKey("sideways")).getMessage());
        assertEquals("unknown role 'null' (expected submitter or maintainer)",
                assertThrows(IllegalArgumentException.class, () -> Role.fromKey(null)).getMessage());
    }

    @Test
    void aPoolFileFormatIsReadAsThePoolWroteIt() {
        assertEquals(DistilledFile.Format.NPZ, DistilledFile.Format.fromKey("npz"));
        assertEquals("unknown dataset file format 'NPZ' (res-pt, mtt or npz)",
                assertThrows(IllegalArgumentException.class, () -> DistilledFile.Format.fromKey("NPZ")).getMessage());
    }
}
