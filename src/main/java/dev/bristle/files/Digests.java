package dev.bristle.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content digests as lower-case hex, streamed so large files never sit in memory. */
public final class Digests {

    private Digests() {
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return hex("SHA-256", in);
        }
    }

    public static String sha256(InputStream in) throws IOException {
        return hex("SHA-256", in);
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest("SHA-256").digest(bytes));
    }

    private static String hex(String algorithm, InputStream in) throws IOException {
        MessageDigest digest = newDigest(algorithm);
        try (DigestInputStream digesting = new DigestInputStream(in, digest)) {
            digesting.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
    }
}
