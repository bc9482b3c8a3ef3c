package dev.bristle.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.event.SchedulerListener;
import com.github.kagkarlsson.scheduler.exceptions.DbSchedulerException;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.DeadExecutionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.bristle.config.BristleConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The job engine (db-scheduler, one {@code scheduled_tasks} table on the app's database): schedules, picks under
 * concurrency, heartbeats, revives the work of dead instances and retries failed work with back-off, for every kind
 * of {@link EngineWork}. Scheduling joins the caller's transaction, so a job's rows and its executions commit
 * together. This instance runs work only when {@code bristle.worker.enabled}.
 */
@ApplicationScoped
public class JobEngine {

    private static final Logger LOG = Logger.getLogger(JobEngine.class);
    /** A running task stops at its next progress report when the instance stops; this long is waited for it. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(30);

    @Inject
    BristleConfig config;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    WorkerInstance instance;

    @Inject
    @Any
    Instance<EngineWork> works;

    @Inject
    Event<WorkerPulse> pulse;

    private final Map<String, CustomTask<Void>> tasks = new LinkedHashMap<>();
    private SchedulerClient client;
    private Scheduler scheduler;
    private volatile boolean stopping;

    @PostConstruct
    void build() {
        for (EngineWork work : works) tasks.put(work.name(), task(work));
        // Autocommit off (inside a JTA transaction) is left to the transaction: the execution commits with the rows.
        client = SchedulerClient.Builder.create(dataSource, tasks()).build();
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.worker().enabled()) {
            LOG.infof("job engine: this instance (%s) runs no work", instance.id());
            return;
        }
        BristleConfig.Worker worker = config.worker();
        scheduler = Scheduler.create(dataSource, tasks())
                .schedulerName(new SchedulerName.Fixed(instance.id()))
                .threads(worker.threads())
                .executorService(executor(worker.threads(), worker.nice()))
                .pollingInterval(Duration.ofSeconds(worker.pollSeconds()))
                .heartbeatInterval(Duration.ofSeconds(worker.heartbeatSeconds()))
                .missedHeartbeatsLimit(worker.missedHeartbeats())
                .shutdownMaxWait(SHUTDOWN_WAIT)
                .addSchedulerListener(new PulseListener())
                .build();
        scheduler.start();
        LOG.infof("job engine: %s runs %d piece(s) of work at a time, polling every %d s", instance.id(),
                worker.threads(), worker.pollSeconds());
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        if (scheduler != null) scheduler.stop();
    }

    /** Whether this instance is shutting down: running work stops at its next progress report and goes back. */
    public boolean stopping() {
        return stopping;
    }

    /** The engine's tasks, one per kind of work: what a scheduler must know to run them. */
    public List<Task<?>> tasks() {
        return new ArrayList<>(tasks.values());
    }

    /**
     * Makes piece {@code id} of {@code work} due now, in the caller's transaction (nothing when it already has an
     * execution, queued or running).
     */
    public void schedule(String work, long id) {
        schedule(work, id, Instant.now());
    }

    /**
     * Makes piece {@code id} of {@code work} due at {@code due}, in the caller's transaction (nothing when it already
     * has an execution): of the work due, the engine takes the earliest first.
     */
    public void schedule(String work, long id, Instant due) {
        client.scheduleIfNotExists(task(work).instance(Long.toString(id)), due);
    }

    /** Removes piece {@code id}'s queued execution, in the caller's transaction; a running one stops by itself. */
    public void cancel(String work, long id) {
        TaskInstanceId execution = TaskInstanceId.of(work, Long.toString(id));
        try {
            if (client.getScheduledExecution(execution).filter(e -> !e.isPicked()).isPresent()) {
                client.cancel(execution);
            }
        } catch (DbSchedulerException e) {
            LOG.debugf("job engine: %s #%d was picked meanwhile; it stops at its cancel flag", work, id);
        }
    }

    private CustomTask<Void> task(String work) {
        CustomTask<Void> task = tasks.get(work);
        if (task == null) throw new IllegalArgumentException("no work named " + work);
        return task;
    }

    /**
     * A kind of work as the engine's task: a failure goes back with exponential back-off (doubling from
     * bristle.worker.retry-seconds) until bristle.worker.task-attempts runs have failed; the execution of a dead
     * instance is revived at once.
     */
    private CustomTask<Void> task(EngineWork work) {
        FailureHandler<Void> backOff = new FailureHandler.ExponentialBackoffFailureHandler<>(
                Duration.ofSeconds(config.worker().retrySeconds()), 2.0);
        return Tasks.custom(work.name(), Void.class)
                .onFailure(new FailureHandler.MaxRetriesFailureHandler<>(config.worker().taskAttempts() - 1, backOff,
                        (complete, operations) -> work.failedForGood(id(complete.getExecution().taskInstance.getId()))))
                .onDeadExecution(new DeadExecutionHandler.ReviveDeadExecution<>())
                .execute((taskInstance, context) -> {
                    EngineWork.Outcome outcome;
                    try {
                        outcome = work.run(id(taskInstance.getId()));
                    } catch (RuntimeException | Error e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return outcome == EngineWork.Outcome.STOPPED
                            ? (CompletionHandler<Void>) (complete, operations) ->
                            operations.reschedule(complete, Instant.now())
                            : (complete, operations) -> operations.remove();
                });
    }

    private static long id(String taskInstance) {
        return Long.parseLong(taskInstance);
    }

    /** Engine threads that do not keep the app from stopping, at the worker's niceness (PyTorch's inherit it). */
    private static ExecutorService executor(int threads, int nice) {
        return Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(() -> {
                // Before the first tensor operation: PyTorch's compute threads, started from this thread, inherit it.
                if (nice != 0 && !ThreadNiceness.lowerCurrentThread(nice)) {
                    LOG.infof("job engine: could not lower its priority (niceness %d); work competes with requests",
                            nice);
                }
                runnable.run();
            }, "job-engine");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Tells the app that this worker lives at each look for work and each heartbeat. */
    private final class PulseListener extends AbstractSchedulerListener {
        @Override
        public void onSchedulerEvent(SchedulerListener.SchedulerEventType type) {
            if (type == SchedulerListener.SchedulerEventType.RAN_EXECUTE_DUE
                    || type == SchedulerListener.SchedulerEventType.RAN_UPDATE_HEARTBEATS) {
                pulse.fire(new WorkerPulse(instance.id()));
            }
        }
    }
}
