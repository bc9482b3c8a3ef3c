package dev.bristle.web.jobs;

import dev.bristle.accounts.Actor;
import dev.bristle.input.InvalidInputException;
import dev.bristle.scoring.CostEstimates;
import dev.bristle.scoring.JobEstimate;
import dev.bristle.scoring.JobService;
import dev.bristle.scoring.JobSettings;
import dev.bristle.scoring.JobView;
import dev.bristle.text.PlainText;

import dev.bristle.web.common.Lookups;
import dev.bristle.web.common.WebError;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the job pages' forms and their JSON twin hand in a job request: checked, then queued or estimated, or a job
 * cancelled, refused alike for both. Not a queue: the queue is {@link JobService}'s.
 */
final class JobDesk {

    static final String NOT_QUEUED = "The job was not queued; nothing was changed.";

    private JobDesk() {
    }

    static final String NOT_ESTIMATED = "The job cannot be estimated, and would not be queued.";

    /** Queues a request that passed Bean Validation, once its names are known ones and its set exists. */
    static JobView enqueue(JobService jobs, JobRequest request, Actor actor) {
        JobSettings settings = settings(request, NOT_QUEUED);
        try {
            return request.modelId() != null ? jobs.enqueueCheckpoint(request.modelId(), settings, actor)
                    : jobs.enqueue(request.datasetId(), settings, actor);
        } catch (InvalidInputException e) {
            throw new WebError(400, NOT_QUEUED, List.of(e.getMessage()));
        }
    }

    /** What a request that passed Bean Validation would cost, refused as {@link #enqueue} refuses it. */
    static JobEstimate estimate(CostEstimates estimates, JobRequest request) {
        JobSettings settings = settings(request, NOT_ESTIMATED);
        try {
            return request.modelId() != null ? estimates.forCheckpoint(request.modelId(), settings)
                    : estimates.forSet(request.datasetId(), settings);
        } catch (InvalidInputException e) {
            throw new WebError(400, NOT_ESTIMATED, List.of(e.getMessage()));
        }
    }

    /** The request's settings, once it names one subject and its names are plain and known. */
    private static JobSettings settings(JobRequest request, String refusal) {
        if ((request.datasetId() == null) == (request.modelId() == null)) {
            throw new WebError(400, refusal, List.of("datasetId must name the set of the dataset pool to score, or"
                    + " modelId the checkpoint of the model pool to evaluate (one of the two)"));
        }
        if (Stream.of(request.attacks(), request.modes(), java.util.Arrays.asList(request.protocol(), request.recipe()))
                .filter(java.util.Objects::nonNull).flatMap(List::stream).anyMatch(PlainText::hasHiddenCharacters)) {
            throw new WebError(400, refusal, List.of("attacks, modes, protocol and recipe: names "
                    + PlainText.PROBLEM));
        }
        JobSettings settings = request.settings();
        List<String> problems = request.modelId() != null ? settings.checkpointProblems() : settings.problems();
        if (!problems.isEmpty()) throw new WebError(400, refusal, problems);
        return settings;
    }

    static JobView cancel(JobService jobs, long id, Actor actor) {
        return jobs.cancel(id, actor).orElseThrow(() -> Lookups.noJob(id));
    }
}
