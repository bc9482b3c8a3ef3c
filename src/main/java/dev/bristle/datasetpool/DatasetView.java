package dev.bristle.datasetpool;

import dev.bristle.text.ServerPaths;

import java.time.Instant;

/** A dataset-pool entry as the pages and the API show it. */
public record DatasetView(
        long id,
        String method,
        String dataset,
        int ipc,
        String format,
        String normalization,
        String originalName,
        String sha256,
        long sizeBytes,
        int imageCount,
        String paperUrl,
        String authors,
        String provenance,
        String origin,
        Instant addedAt,
        String url,
        String gridUrl,
        String uploadedBy,
        boolean hidden) {

    /** A set's row as shown; a provenance stored before writers named files has its server paths cut to names. */
    static DatasetView of(DistilledDataset d) {
        String url = "/datasets/" + d.id;
        return new DatasetView(d.id, d.method, d.dataset, d.ipc, d.format, d.normalization, d.originalName, d.sha256,
                d.sizeBytes, d.imageCount, d.paperUrl, d.authors, ServerPaths.hide(d.provenance),
                d.origin.name().toLowerCase(),
                d.addedAt, url, url + "/grid.png", d.uploadedBy, d.hidden);
    }

    /** How the stored values are normalized, in words. */
    public String normalizationLabel() {
        return normalization.equals("pixels") ? "pixels in [0, 1]" : dataset + " mean/std";
    }
}
