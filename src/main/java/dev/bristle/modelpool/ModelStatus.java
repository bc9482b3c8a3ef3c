package dev.bristle.modelpool;

/** Whether a pool entry's checkpoint can be used. */
public enum ModelStatus {
    /** The file is in the model-pool directory and its SHA-256 matches the manifest. */
    AVAILABLE,
    /** The manifest lists the file but the model-pool directory does not hold it. */
    MISSING,
    /** The file is there but its content differs from what the manifest records. */
    CHECKSUM_MISMATCH
}
