package dev.bristle.web.jobs;

import dev.bristle.accounts.Actor;
import dev.bristle.distilling.DistillationJobService;
import dev.bristle.distilling.DistillationJobView;

import dev.bristle.web.common.Lookups;
import dev.bristle.web.common.WebError;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the distillation pages' forms and their JSON twin hand in a distillation: checked, then queued, or one
 * cancelled, refused alike for both. Not a queue: the queue is {@link DistillationJobService}'s.
 */
final class DistillationDesk {

    static final String NOT_QUEUED = "The distillation was not queued; nothing was changed.";

    private DistillationDesk() {
    }

    /** Queues a request that passed Bean Validation, once its method and dataset are known ones. */
    static DistillationJobView enqueue(DistillationJobService jobs, DistillRequest request, Actor actor) {
        if (request.ipc() == null) throw new WebError(400, NOT_QUEUED, List.of("ipc: must be the images per class"));
        List<String> problems = new ArrayList<>();
        request.toRequest().settings(problems);
        if (!problems.isEmpty()) throw new WebError(400, NOT_QUEUED, problems);
        return jobs.enqueue(request.toRequest(), actor);
    }

    static DistillationJobView cancel(DistillationJobService jobs, long id, Actor actor) {
        return jobs.cancel(id, actor).orElseThrow(() -> Lookups.noDistillation(id));
    }
}
