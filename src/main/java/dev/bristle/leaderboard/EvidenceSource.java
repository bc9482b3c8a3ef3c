package dev.bristle.leaderboard;

import java.util.List;
import java.util.Optional;

/** The measurements behind measured entries, kept by whoever runs the measuring jobs. */
public interface EvidenceSource {

    /** What succeeded job {@code jobId} measured; empty when there is no such job or it has not succeeded. */
    Optional<MeasuredEvidence> evidence(long jobId);

    /** Succeeded evaluations of the published checkpoints of {@code method} on {@code dataset}, newest first. */
    List<MeasuredEvidence> checkpointEvaluations(String dataset, String method);
}
