package dev.bristle.cli;

import dev.bristle.ml.attack.AttackBudgets;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.score.AttackPlan;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.RecordFile;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * {@code --record FILE}, which {@code bristle score} and {@code bristle evaluate} share (a picocli mixin): the run's
 * compact {@link EvaluationRecord} added to a record file, by the same rules for both.
 */
public final class RecordOption {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--record", paramLabel = "FILE", description = {"also add the run's compact record (what was"
            + " measured and its provenance, the settings, the command, each mode's board numbers) to FILE, replacing"
            + " an earlier run of the same board and method; needs --attacks at the recorded budgets:"
            + " leaderboards/bristle-measured.json is what the app imports at start-up"})
    Path file;

    public boolean requested() {
        return file != null;
    }

    /**
     * Refuses, before anything runs, a record that could not go on a board as its entries are measured: without
     * attacks (nothing to rank) or at other budgets than the board's.
     *
     * @throws CliUsageException when {@code --record} was given with such a plan
     */
    public void check(AttackPlan plan, DatasetKind dataset) {
        if (file == null) return;
        if (plan.attacks().isEmpty()) {
            throw new CliUsageException("--record needs --attacks: a board ranks its entries by their attacks");
        }
        if (!plan.budgets().equals(AttackBudgets.of(plan.protocol(), dataset))) {
            throw new CliUsageException("--record: a board's entries are measured at its recorded budgets; leave"
                    + " out --eps and --eps-l2");
        }
    }

    /** The command as typed, for the record. */
    public String command() {
        return "./bristle " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    /** Adds {@code record} to the file, replacing the record of the same board and method. */
    public void write(EvaluationRecord record, PrintWriter out) throws IOException {
        RecordFile.upsert(file, record, "Bristle's own measured entries (./bristle score --record and ./bristle"
                + " evaluate --record), imported by the app at start-up; numbers only, never the data");
        out.println("recorded in " + file);
    }
}
