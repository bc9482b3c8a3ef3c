package dev.bristle.datasetpool;

/**
 * An accepted upload: the pool entry, and whether it is new or the same content was already in the pool.
 */
public record UploadOutcome(DatasetView dataset, boolean created) {

    public String message() {
        return created ? "Added to the pool as #" + dataset.id() + "."
                : "This file is already in the pool as #" + dataset.id() + " (same SHA-256); nothing was added.";
    }
}
