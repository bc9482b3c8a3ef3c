package dev.bristle.leaderboard;

import dev.bristle.accounts.Actor;
import dev.bristle.accounts.TestAccounts;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.train.TrainingRecipe;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run replaces its own submitter's entry of the same board and method only: naming a job or a submission after
 * another submitter's entry must not take that entry off the board (nor delete its preliminary row).
 */
@QuarkusTest
@Tag("database")
class EntryReplacementTest {

    private static final String METHOD = "ReplacementTestMethod";
    private static final Actor ALICE = new Actor("replacement-alice", false);
    private static final Actor MALLORY = new Actor("replacement-mallory", false);

    @Inject
    MeasuredEntries entries;

    @AfterEach
    void removeTheRows() {
        QuarkusTransaction.requiringNew().run(() -> {
            LeaderboardEntry.delete("source = ?1 and method = ?2", EntrySource.MEASURED, METHOD);
            BoardRevision.raise();
        });
    }

    @Test
    void anotherSubmittersRunOfTheSameNameLeavesTheEntryAsItIs() {
        publish(run(ALICE, 40.0, List.of()));
        LeaderboardEntry alices = row(EntryStatus.RANKED);

        List<String> outcome = publish(run(MALLORY, 90.0, List.of()));
        assertEquals(1, outcome.size());
        assertTrue(outcome.get(0).contains("not published") && outcome.get(0).contains("another submitter"),
                outcome.get(0));
        LeaderboardEntry after = row(EntryStatus.RANKED);
        assertEquals(alices.id, after.id);
        assertEquals(ALICE.name(), after.submittedBy);
        assertEquals(40.0, after.cleanAccuracy);

        // Nor may an official run of another submitter delete Alice's preliminary row of that name.
        publish(run(ALICE, 30.0, List.of("1 of 5 students")));
        publish(run(MALLORY, 95.0, List.of()));
        assertEquals(ALICE.name(), row(EntryStatus.PRELIMINARY).submittedBy);

        // Alice's own later run replaces her entry; a maintainer's replaces anyone's.
        publish(run(ALICE, 50.0, List.of()));
        assertEquals(alices.id, row(EntryStatus.RANKED).id);
        assertEquals(50.0, row(EntryStatus.RANKED).cleanAccuracy);
        publish(run(TestAccounts.MAINTAINER, 60.0, List.of()));
        assertEquals(TestAccounts.MAINTAINER.name(), row(EntryStatus.RANKED).submittedBy);
    }

    private List<String> publish(MeasuredRun run) {
        return QuarkusTransaction.requiringNew().call(() -> entries.publish(run));
    }

    private static LeaderboardEntry row(EntryStatus status) {
        return QuarkusTransaction.requiringNew().call(() -> LeaderboardEntry.findMeasured("Fashion-MNIST", "1",
                "untargeted", AttackProtocol.SOUND, TrainingRecipe.Kind.STANDARD, METHOD, status).orElseThrow());
    }

    /** A run on Fashion-MNIST's IPC-1 sound board; with differences it is preliminary. */
    private static MeasuredRun run(Actor submitter, double cleanAccuracy, List<String> differences) {
        MetricReport report = new MetricReport(AttackMode.UNTARGETED, 0.5, List.of(), List.of("FGSM"), List.of(), null,
                null, 5.0, 10.0, 7.5, List.of());
        return new MeasuredRun(null, "EntryReplacementTest", submitter, "Fashion-MNIST", 1, METHOD, null, null,
                AttackProtocol.SOUND, TrainingRecipe.Kind.STANDARD, differences, cleanAccuracy, "one student",
                Map.of(AttackMode.UNTARGETED, report), Map.of(), Map.of(AttackMode.UNTARGETED, 1.0));
    }
}
