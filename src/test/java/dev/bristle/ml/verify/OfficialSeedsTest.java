package dev.bristle.ml.verify;

import dev.bristle.input.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.MessageDigest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The official seeds follow from the set's SHA-256 alone, as documented. */
class OfficialSeedsTest {

    private static final String SET = "166784dad3e8e4d5a2f9bb0361ed632fc7b82c1353494880b5d8b57988ece819";

    @Test
    void seedsAreTheFirstEightBytesOfTheDocumentedDigests() throws Exception {
        OfficialSeeds seeds = OfficialSeeds.of(SET);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long training = ByteBuffer.wrap(sha.digest(("bristle-official-training|" + SET).getBytes(UTF_8))).getLong();
        long attacks = ByteBuffer.wrap(sha.digest(("bristle-official-attacks|" + SET).getBytes(UTF_8))).getLong();
        assertEquals(new OfficialSeeds(training, attacks), seeds);
        assertEquals(seeds, OfficialSeeds.of(SET.toUpperCase()));
        assertNotEquals(seeds.training(), seeds.attacks());
    }

    @Test
    void anotherSetHasOtherSeeds() {
        assertNotEquals(OfficialSeeds.of(SET), OfficialSeeds.of(SET.replace('1', '2')));
    }

    @Test
    void somethingElseThanADigestIsRefused() {
        assertThrows(InvalidInputException.class, () -> OfficialSeeds.of("abc"));
        assertThrows(InvalidInputException.class, () -> OfficialSeeds.of(null));
    }
}
