package dev.bristle.cli;

import dev.bristle.ml.score.ScoringPipeline;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of long work on the error stream: on a terminal, one bar redrawn in place; elsewhere (CI logs, files),
 * a plain line about once a second and at the end of each stage, so logs stay readable.
 */
final class CliProgress {

    private static final int BAR_WIDTH = 30;
    private static final long REDRAW_MILLIS = 100;
    private static final long LINE_MILLIS = 1000;

    private final PrintWriter err;
    private final boolean terminal;
    private final LongSupplier clock;
    private long last = Long.MIN_VALUE / 2;
    private String lastLabel;
    private boolean barShown;

    CliProgress(PrintWriter err, boolean terminal, LongSupplier clock) {
        this.err = err;
        this.terminal = terminal;
        this.clock = clock;
    }

    /** A new stage: its own line. */
    void stage(String label) {
        finish();
        err.println(label);
        err.flush();
    }

    /** {@code done} of {@code total} units of the work named {@code label}. */
    void update(int done, int total, String label) {
        long now = clock.getAsLong();
        boolean complete = done >= total;
        boolean newLabel = !label.equals(lastLabel);
        if (!complete && !newLabel && now - last < (terminal ? REDRAW_MILLIS : LINE_MILLIS)) return;
        last = now;
        lastLabel = label;
        int percent = total <= 0 ? 100 : (int) Math.min(100, 100L * done / total);
        if (terminal) {
            int filled = percent * BAR_WIDTH / 100;
            // \r returns to the line start; the trailing erase clears what a longer label left.
            err.print(String.format(Locale.ROOT, "\r[%s%s] %3d %% %s\u001b[K", "#".repeat(filled),
                    " ".repeat(BAR_WIDTH - filled), percent, label));
            barShown = true;
        } else {
            err.println(String.format(Locale.ROOT, "  %d/%d (%d %%) %s", done, total, percent, label));
        }
        err.flush();
    }

    /**
     * The scoring pipeline's stages and progress (score, and verify's checks, which report as it does), drawn here: a
     * stage's line names it ("training: ..."). The command line never cancels.
     */
    ScoringPipeline.Listener listener() {
        return new ScoringPipeline.Listener() {
            @Override
            public void stageStarted(ScoringPipeline.Stage stage, int total, String label) {
                stage(stage.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + label);
            }

            @Override
            public void progress(int done, int total, String label) {
                update(done, total, label);
            }

            @Override
            public boolean cancelled() {
                return false;
            }
        };
    }

    /** Ends the bar's line, so what follows starts on a fresh one. */
    void finish() {
        if (barShown) {
            err.println();
            err.flush();
            barShown = false;
        }
    }
}
