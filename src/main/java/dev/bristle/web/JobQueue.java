package dev.bristle.web;

import dev.bristle.accounts.Actor;
import dev.bristle.input.InvalidInputException;
import dev.bristle.scoring.JobService;
import dev.bristle.scoring.JobSettings;
import dev.bristle.scoring.JobView;
import dev.bristle.text.PlainText;

import java.util.List;
import java.util.stream.Stream;

/** Queueing and cancelling scoring jobs, for the job pages' forms and their JSON twin alike. */
final class JobQueue {

    static final String NOT_QUEUED = "The job was not queued; nothing was changed.";

    private JobQueue() {
    }

    /** Queues a request that passed Bean Validation, once its names are known ones and its set exists. */
    static JobView enqueue(JobService jobs, JobRequest request, Actor actor) {
        if ((request.datasetId() == null) == (request.modelId() == null)) {
            throw new WebError(400, NOT_QUEUED, List.of("datasetId must name the set of the dataset pool to score, or"
                    + " modelId the checkpoint of the model pool to evaluate (one of the two)"));
        }
        if (Stream.of(request.attacks(), request.modes(), java.util.Arrays.asList(request.protocol(), request.recipe()))
                .filter(java.util.Objects::nonNull).flatMap(List::stream).anyMatch(PlainText::hasHiddenCharacters)) {
            throw new WebError(400, NOT_QUEUED, List.of("attacks, modes, protocol and recipe: names "
                    + PlainText.PROBLEM));
        }
        JobSettings settings = request.settings();
        List<String> problems = request.modelId() != null ? settings.checkpointProblems() : settings.problems();
        if (!problems.isEmpty()) throw new WebError(400, NOT_QUEUED, problems);
        try {
            return request.modelId() != null ? jobs.enqueueCheckpoint(request.modelId(), settings, actor)
                    : jobs.enqueue(request.datasetId(), settings, actor);
        } catch (InvalidInputException e) {
            throw new WebError(400, NOT_QUEUED, List.of(e.getMessage()));
        }
    }

    static JobView cancel(JobService jobs, long id, Actor actor) {
        return jobs.cancel(id, actor).orElseThrow(() -> Lookups.noJob(id));
    }
}
