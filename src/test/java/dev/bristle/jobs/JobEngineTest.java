package dev.bristle.jobs;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.testhelper.ManualScheduler;
import com.github.kagkarlsson.scheduler.testhelper.SettableClock;
import com.github.kagkarlsson.scheduler.testhelper.TestHelper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The job engine's picks on the real database (H2 here, PostgreSQL in the second pass), which db-scheduler's
 * documentation leaves open for H2: due executions raced by four schedulers at once, each fetching more than its
 * share, are each run exactly once (the pick is an update under optimistic locking on the row's version).
 */
@QuarkusTest
@Tag("database")
class JobEngineTest {

    private static final int EXECUTIONS = 40;
    private static final int SCHEDULERS = 4;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void racingSchedulersRunEachExecutionOnce() throws Exception {
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        CustomTask<Void> task = Tasks.custom("engine-race", Void.class).execute((instance, context) -> {
            runs.computeIfAbsent(instance.getId(), id -> new AtomicInteger()).incrementAndGet();
            return (complete, operations) -> operations.remove();
        });
        SchedulerClient client = SchedulerClient.Builder.create(dataSource, task).build();
        for (int i = 0; i < EXECUTIONS; i++) client.schedule(task.instance(Integer.toString(i)), Instant.now());

        ExecutorService threads = Executors.newFixedThreadPool(SCHEDULERS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> racers = new ArrayList<>();
        try {
            for (int s = 0; s < SCHEDULERS; s++) {
                ManualScheduler scheduler = TestHelper.createManualScheduler(dataSource, task)
                        .clock(new SettableClock()).build();
                racers.add(threads.submit(() -> {
                    start.await();
                    long deadline = System.currentTimeMillis() + 60_000;
                    while (runs.size() < EXECUTIONS && System.currentTimeMillis() < deadline) {
                        scheduler.setTime(Instant.now());
                        scheduler.runAnyDueExecutions();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> racer : racers) racer.get(90, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
        assertEquals(EXECUTIONS, runs.size(), "every execution ran: " + runs.keySet());
        assertEquals(Map.of(1, EXECUTIONS), runs.values().stream().collect(java.util.stream.Collectors.groupingBy(
                AtomicInteger::get, java.util.stream.Collectors.summingInt(r -> 1))), "each once: " + runs);
        List<String> left = new ArrayList<>();
        client.fetchScheduledExecutionsForTask("engine-race", Void.class, e -> left.add(e.getTaskInstance().getId()));
        assertEquals(List.of(), left, "none left in the engine");
    }
}
