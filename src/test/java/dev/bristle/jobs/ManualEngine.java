package dev.bristle.jobs;

import com.github.kagkarlsson.scheduler.ScheduledExecutionsFilter;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.testhelper.ManualScheduler;
import com.github.kagkarlsson.scheduler.testhelper.SettableClock;
import com.github.kagkarlsson.scheduler.testhelper.TestHelper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The real job engine, driven by a test on its own thread: db-scheduler's ManualScheduler on the app's database with
 * the engine's own tasks (the app's worker is off in tests), so a test runs due work when it chooses and moves the
 * engine's clock past a retry's back-off or a dead instance's missed heartbeats.
 */
@ApplicationScoped
public class ManualEngine {

    @Inject
    JobEngine engine;

    @Inject
    AgroalDataSource dataSource;

    private ManualScheduler scheduler;
    private Duration ahead = Duration.ZERO;

    /**
     * Runs every due execution on the calling thread, then those their runs made due, until none is due: the pieces
     * of work run, as "work-name:id", in order.
     */
    public synchronized List<String> runDue() {
        List<String> ran = new ArrayList<>();
        while (true) {
            Instant now = Instant.now().plus(ahead);
            scheduler().setTime(now);
            List<String> due = new ArrayList<>();
            scheduler.fetchScheduledExecutions(ScheduledExecutionsFilter.all().withPicked(false), execution -> {
                if (!execution.getExecutionTime().isAfter(now)) {
                    due.add(execution.getTaskInstance().getTaskName() + ":" + execution.getTaskInstance().getId());
                }
            });
            if (due.isEmpty()) return ran;
            scheduler.runAnyDueExecutions();
            ran.addAll(due);
        }
    }

    /** The ids of {@code work}'s pieces {@link #runDue} ran. */
    public List<Long> runDue(String work) {
        return runDue().stream().filter(r -> r.startsWith(work + ":"))
                .map(r -> Long.parseLong(r.substring(work.length() + 1))).toList();
    }

    /** Moves the engine's clock on by {@code duration} (for good: its clock stays that far ahead of the wall's). */
    public synchronized void advance(Duration duration) {
        ahead = ahead.plus(duration);
    }

    /** Runs the engine's detection of dead executions (picked, their heartbeat too old) at its clock's time. */
    public synchronized void detectDeadExecutions() {
        scheduler().setTime(Instant.now().plus(ahead));
        scheduler.runDeadExecutionDetection();
    }

    /** Whether piece {@code id} of {@code work} has an execution in the engine, queued or running. */
    public synchronized boolean scheduled(String work, long id) {
        return scheduler().getScheduledExecution(TaskInstanceId.of(work, Long.toString(id))).isPresent();
    }

    /**
     * Piece {@code id} of {@code work} as an instance leaves it that picked it and died: picked by {@code instance},
     * its last heartbeat an hour old, as the engine's own pick and heartbeat write them.
     */
    public void crash(String work, long id, String instance) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement update = c.prepareStatement("update"
                + " scheduled_tasks set picked = true, picked_by = ?, last_heartbeat = ?, version = version + 1"
                + " where task_name = ? and task_instance = ?")) {
            update.setString(1, instance);
            update.setTimestamp(2, Timestamp.from(Instant.now().minus(Duration.ofHours(1))));
            update.setString(3, work);
            update.setString(4, Long.toString(id));
            if (update.executeUpdate() != 1) throw new IllegalStateException(work + " #" + id + " has no execution");
        }
    }

    private ManualScheduler scheduler() {
        if (scheduler == null) {
            scheduler = TestHelper.createManualScheduler(dataSource, engine.tasks()).clock(new SettableClock())
                    .build();
        }
        return scheduler;
    }
}
