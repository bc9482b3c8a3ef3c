package dev.bristle.ml.verify;

import java.util.List;

/**
 * A bundle's {@code manifest.json}: what the bundle is and every other file in it with its size and SHA-256.
 *
 * @param format           always {@value #FORMAT}
 * @param version          the format's version ({@value #VERSION})
 * @param setNormalization how the set's values are stored, as {@code score --normalization} states it ("mean-std"
 *                         or "pixels"), so the set is read here as it was scored
 * @param files            every file of the bundle but the manifest, in bundle order
 */
public record BundleManifest(String format, int version, String setNormalization, List<FileEntry> files) {

    public static final String FORMAT = "bristle-submission-bundle";
    public static final int VERSION = 1;
    public static final String NAME = "manifest.json";
    public static final String RECORD = "record.json";
    public static final String SET_FOLDER = "set/";
    public static final String STUDENT_PREFIX = "students/student-";
    public static final String STUDENT_SUFFIX = ".pt";

    public BundleManifest {
        files = files == null ? null : List.copyOf(files);
    }

    /**
     * @param name   the file's name in the bundle
     * @param size   its bytes
     * @param sha256 SHA-256 of its bytes
     */
    public record FileEntry(String name, long size, String sha256) {
    }

    /** The bundle name of student {@code index}'s state dict. */
    public static String studentName(int index) {
        return STUDENT_PREFIX + index + STUDENT_SUFFIX;
    }
}
