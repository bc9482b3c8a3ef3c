package dev.bristle.modelpool;

import java.time.Instant;

/**
 * A model-pool entry as the pages and the API show it.
 *
 * @param scoringJobId  the job that trained it; null for a published checkpoint
 * @param studentIndex  its index among that job's students, from 0 (the pages call index 0 "student 1"); null for a
 *                      published checkpoint
 * @param checkpointUrl where its state dict downloads; null while the file is missing or altered
 */
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
        String url,
        Long scoringJobId,
        Integer studentIndex,
        String checkpointUrl) {

    static ModelView of(PoolModel m) {
        String url = "/models/" + m.id;
        return new ModelView(m.id, m.method, m.dataset, m.ipc, m.architecture, m.fileName, m.expectedSha256,
                m.sizeBytes, m.reportedAccuracy, m.origin.name().toLowerCase(), m.provenance,
                m.status.name().toLowerCase().replace('_', '-'), m.statusMessage, m.importedAt, url, m.scoringJobId,
                m.studentIndex, m.status == ModelStatus.AVAILABLE ? url + "/checkpoint.pth" : null);
    }

    /** The checkpoint's file name for a download: the pool's name without its folders. */
    public String downloadName() {
        return fileName.substring(fileName.lastIndexOf('/') + 1);
    }
}
