package dev.bristle.ml.verify;

import dev.bristle.input.InvalidInputException;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The seeds of an official run, fixed by the set it scores: the base training seed (each student's seed follows from
 * it by {@code TrainingConfig.studentSeed}) and the attacks' seed are the first 8 bytes, big-endian, of
 * SHA-256("bristle-official-training|" + the set's SHA-256) and of SHA-256("bristle-official-attacks|" + ...). Nobody
 * can train many students and submit the luckiest: a set has one official run.
 *
 * @param training base seed of the students
 * @param attacks  seed of every random choice of the attacks
 */
public record OfficialSeeds(long training, long attacks) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    /** The official seeds of the set whose SHA-256 (64 hex digits) is {@code setSha256}. */
    public static OfficialSeeds of(String setSha256) {
        String sha = setSha256 == null ? "" : setSha256.toLowerCase(Locale.ROOT);
        if (!HEX.matcher(sha).matches()) {
            throw new InvalidInputException("a set's SHA-256 is 64 hex digits");
        }
        return new OfficialSeeds(seed("bristle-official-training|" + sha), seed("bristle-official-attacks|" + sha));
    }

    private static long seed(String text) {
        return ByteBuffer.wrap(Sha256.raw(text), 0, Long.BYTES).getLong();
    }
}
