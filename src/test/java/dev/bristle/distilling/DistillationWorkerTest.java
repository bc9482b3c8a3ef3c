package dev.bristle.distilling;

import dev.bristle.accounts.TestAccounts;
import dev.bristle.config.BristleConfig;
import dev.bristle.jobs.ManualEngine;
import dev.bristle.scoring.ScoringTestState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A distillation job that fails for anything but its input gets another attempt, as a scoring task does; one that
 * fails for its input fails at once. The test profile's data directory has no Fashion-MNIST, so a job on it cannot
 * read its training split here: an instance that has the data could run it.
 */
@QuarkusTest
@Tag("database")
class DistillationWorkerTest {

    @Inject
    DistillationJobService jobs;

    @Inject
    ManualEngine engine;

    @Inject
    BristleConfig config;

    private long queueRandomSubset() {
        return jobs.enqueue(new DistillationJobService.Request("random", "Fashion-MNIST", 1, 0, null, null, null),
                TestAccounts.MAINTAINER).id();
    }

    @BeforeEach
    void emptyQueue() {
        ScoringTestState.cancelQueuedDistillations();
    }

    @Test
    void aJobThatFailsForWantOfItsDataIsRetried() {
        long id = queueRandomSubset();
        assertTrue(engine.runDue(DistillationJob.WORK).contains(id));
        DistillationJobView retrying = jobs.find(id).orElseThrow();
        assertEquals("queued", retrying.state(), "the job has an attempt left");
        assertEquals(1, retrying.attempts());
        assertTrue(retrying.errorMessage().contains("Fashion-MNIST"), retrying.errorMessage());

        assertFalse(engine.runDue(DistillationJob.WORK).contains(id), "the engine waits out the back-off first");
        engine.advance(Duration.ofSeconds(config.worker().retrySeconds()));
        assertTrue(engine.runDue(DistillationJob.WORK).contains(id));
        DistillationJobView failed = jobs.find(id).orElseThrow();
        assertEquals("failed", failed.state());
        assertEquals(2, failed.attempts());
        assertEquals(retrying.errorMessage(), failed.errorMessage());
    }

    @Test
    void aJobThatFailsForItsSettingsFailsAtOnce() {
        long id = queueRandomSubset();
        // Settings that no longer pass (as after a limit was lowered): another attempt would fail the same way.
        QuarkusTransaction.requiringNew().run(() -> DistillationJob.<DistillationJob>findById(id).ipc = 501);
        assertTrue(engine.runDue(DistillationJob.WORK).contains(id));
        DistillationJobView failed = jobs.find(id).orElseThrow();
        assertEquals("failed", failed.state());
        assertEquals(1, failed.attempts());
        assertEquals("ipc must be 1 to 500, not 501", failed.errorMessage());
    }
}
