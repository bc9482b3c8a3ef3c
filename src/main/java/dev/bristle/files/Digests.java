package dev.bristle.files;

import dev.bristle.ml.verify.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Content digests as lower-case hex, streamed so large files never sit in memory: the app's name for the ml core's
 * {@link Sha256}, the one implementation (the ml core may not use this package).
 */
public final class Digests {

    private Digests() {
    }

    public static String sha256(Path file) throws IOException {
        return Sha256.of(file);
    }

    /** Reads {@code in} to its end; the caller closes it. */
    public static String sha256(InputStream in) throws IOException {
        return Sha256.of(in);
    }

    public static String sha256(byte[] bytes) {
        return Sha256.of(bytes);
    }
}
