package dev.bristle.leaderboard;

import dev.bristle.accounts.Actor;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.train.TrainingRecipe;
import dev.bristle.text.ColumnText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Measured runs put on the boards: one entry per mode, ranked or preliminary, replacing only the submitter's own
 * entry, pending review unless a maintainer queued the run.
 */
@ApplicationScoped
public class MeasuredEntries {

    /**
     * Puts a finished job's metrics on the boards of its dataset, IPC and protocol, one entry per mode: ranked when
     * the run had its protocol's official settings, preliminary otherwise (replacing the method's previous entry of
     * the same status there, never one of the other status).
     *
     * @return what publishing did, one line per mode
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<String> publish(MeasuredRun run) {
        return publish(run, row -> {
        });
    }

    /** As {@link #publish(MeasuredRun)}, in the caller's transaction, each row marked by {@code mark} before it is stored. */
    List<String> publish(MeasuredRun run, Consumer<LeaderboardEntry> mark) {
        BoardRevision.raise();
        List<String> outcome = new ArrayList<>();
        for (var measured : run.metrics().entrySet()) {
            outcome.add(publish(run, measured.getKey(), measured.getValue(), mark));
        }
        return outcome;
    }

    /** Puts the run's entry of one mode on its board, or says why not. */
    private static String publish(MeasuredRun run, AttackMode attackMode, MetricReport report,
                                  Consumer<LeaderboardEntry> mark) {
        Optional<Dataset> board = Dataset.fromLabel(run.dataset());
        String ipc = String.valueOf(run.ipc());
        String mode = attackMode.key();
        if (board.isEmpty() || Ipc.fromKey(ipc).isEmpty()) {
            return mode + ": not published, there is no " + run.dataset() + " IPC " + ipc + " leaderboard";
        }
        if (report.crei() == null) {
            return mode + ": not published, CREI is undefined (" + String.join("; ", report.notes()) + ")";
        }
        if (!board.get().hasBoardsIn(run.protocol())) {
            return mode + ": not published, " + run.dataset() + " has boards in the sound protocol only";
        }
        EntryStatus status = run.status();
        Optional<LeaderboardEntry> existing = LeaderboardEntry.findMeasured(run.dataset(), ipc, mode,
                run.protocol(), run.recipe(), run.method(), status);
        if (existing.isPresent() && !mayReplace(existing.get(), run.submitter())) {
            return mode + ": not published, another submitter's entry on this board is named "
                    + run.method() + "; a run replaces only its own submitter's entry (a maintainer's any)";
        }
        LeaderboardEntry row = existing.orElseGet(LeaderboardEntry::new);
        fill(row, run, attackMode, report);
        mark.accept(row);
        row.persist();
        if (status == EntryStatus.RANKED) {
            // An official run supersedes the method's preliminary one on this board.
            LeaderboardEntry.findMeasured(run.dataset(), ipc, mode, run.protocol(), run.recipe(), run.method(),
                    EntryStatus.PRELIMINARY).filter(e -> mayReplace(e, run.submitter()))
                    .ifPresent(LeaderboardEntry::delete);
        }
        return mode + (row.reviewStatus == ReviewStatus.APPROVED ? ": published on "
                : ": awaiting review for ") + board.get().label() + " IPC " + ipc + ", "
                + LeaderboardService.protocolLabel(run.protocol()) + ", "
                + (run.recipe() == TrainingRecipe.Kind.STANDARD ? ""
                : LeaderboardService.recipeLabel(run.recipe()).toLowerCase(Locale.ROOT) + ", ")
                + (status == EntryStatus.RANKED ? "ranked" : "preliminary ("
                + String.join(", ", run.differences()) + ")") + " (CREI "
                + String.format(Locale.ROOT, "%.2f", report.crei()) + ")";
    }

    /** Writes the run's measurements of one mode into {@code row}, new or the one it replaces. */
    private static void fill(LeaderboardEntry row, MeasuredRun run, AttackMode mode, MetricReport report) {
        EntryStatus status = run.status();
        row.dataset = run.dataset();
        row.ipc = String.valueOf(run.ipc());
        row.mode = mode.key();
        row.protocol = run.protocol();
        row.recipe = run.recipe();
        row.status = status;
        row.statusReasons = status == EntryStatus.RANKED ? null : ColumnText.fit(String.join("; ", run.differences()),
                1000);
        row.method = run.method();
        row.paperTitle = ColumnText.fit(run.paperTitle() != null ? run.paperTitle() : "measured by " + run.reference(),
                300);
        row.author = run.authors() != null ? run.authors() : "unknown";
        row.venue = "measured by Bristle";
        row.updated = LocalDate.now();
        row.codeAvailable = false;
        // A job's set is in the dataset pool; a command-line record's set or checkpoint is not served here.
        row.distilledDataAvailable = run.jobId() != null;
        row.crei = report.crei();
        double[] interval = run.creiIntervals().get(mode);
        row.creiLow = interval == null ? null : interval[0];
        row.creiHigh = interval == null ? null : interval[1];
        row.rrm = report.rr();
        row.aem = report.ae();
        row.cleanAccuracy = run.meanCleanAccuracy();
        row.robustAccuracy = run.robustAccuracy().get(mode);
        row.cleanAccuracyBasis = ColumnText.fit(run.cleanAccuracyBasis(), 200);
        row.source = EntrySource.MEASURED;
        row.sourceReference = ColumnText.fit(run.reference(), 200);
        row.scoringJobId = run.jobId();
        row.publishedRank = null;
        row.submittedBy = run.submitter().name();
        row.reviewStatus = run.submitter().maintainer() ? ReviewStatus.APPROVED : ReviewStatus.PENDING;
        row.reviewReason = run.submitter().maintainer() ? "queued by maintainer " + run.submitter().name() : null;
        row.submissionId = null;
        row.verification = null;
    }

    /**
     * Whether a run by {@code submitter} may take the place of {@code row}, an entry of the same board and method:
     * a submitter replaces their own entries only, so nobody takes another's entry off a board by naming a run after
     * it; a maintainer replaces any.
     */
    private static boolean mayReplace(LeaderboardEntry row, Actor submitter) {
        return submitter.maintainer() || submitter.name().equals(row.submittedBy);
    }
}
