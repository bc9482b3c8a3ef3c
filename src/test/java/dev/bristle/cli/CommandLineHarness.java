package dev.bristle.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs the command line in this JVM, as the launcher would, and keeps what the last run printed. */
abstract class CommandLineHarness {

    protected final ByteArrayOutputStream out = new ByteArrayOutputStream();
    protected final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** The exit code of {@code bristle args...}; the output of earlier runs is forgotten first. */
    protected int run(String... args) {
        out.reset();
        err.reset();
        return BristleCli.standard().run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    protected String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    protected String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
