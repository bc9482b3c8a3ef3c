package dev.bristle.modelpool;

import java.time.Instant;

/** A model-pool entry as the pages and the API show it. */
public record ModelView(
        long id,
        String method,
        String dataset,
        int ipc,
        String architecture,
        String fileName,
        String sha256,
        Long sizeBytes,
        Double reportedAccuracy,
        String origin,
        String provenance,
        String status,
        String statusMessage,
        Instant importedAt,
        String url) {

    static ModelView of(PoolModel m) {
        return new ModelView(m.id, m.method, m.dataset, m.ipc, m.architecture, m.fileName, m.expectedSha256,
                m.sizeBytes, m.reportedAccuracy, m.origin.name().toLowerCase(), m.provenance,
                m.status.name().toLowerCase().replace('_', '-'), m.statusMessage, m.importedAt, "/models/" + m.id);
    }
}
