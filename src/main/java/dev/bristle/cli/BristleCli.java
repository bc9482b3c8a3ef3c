package dev.bristle.cli;

import dev.bristle.input.InvalidInputException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Entry point of the command-line tools ({@code ./bristle regress}, {@code ./bristle evaluate}, ...), on plain
 * picocli: no web server and no database start, so a CI pipeline gets its answer in seconds. Exit codes: 0 success,
 * 1 a regression or failed check, 2 bad usage or unreadable input, 70 a bug (its stack trace follows the message).
 */
@Command(name = "bristle", mixinStandardHelpOptions = true, versionProvider = BristleCli.Version.class,
        description = "Adversarial robustness of models trained on distilled datasets (BEARD's metrics).",
        subcommands = {RegressCommand.class, EvaluateCommand.class, ScoreCommand.class, DistillCommand.class,
                ImportCommand.class, VerifyCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "./bristle or ./bristle serve starts the web app (the launcher's default); ./bristle worker starts"
                + " an instance that only runs scoring jobs' tasks, without a web server.",
                "bristle COMMAND --help shows a command's options; bristle completion prints a bash/zsh completion"
                        + " script (source <(./bristle completion))."})
public final class BristleCli implements Callable<Integer> {

    /** Bad usage or unreadable input. */
    static final int USAGE = 2;
    /** A bug: any exception that is not the user's mistake (sysexits' EX_SOFTWARE). */
    static final int INTERNAL_ERROR = 70;

    @Spec
    CommandSpec spec;

    private final boolean terminal;

    BristleCli(boolean terminal) {
        this.terminal = terminal;
    }

    /** {@code value} when it is at least 1, else picocli's usage error naming {@code option}. */
    static int positive(CommandSpec spec, String option, int value) {
        if (value < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), option
                    + " must be a positive whole number, not '" + value + "'");
        }
        return value;
    }

    static BristleCli standard() {
        return new BristleCli(false);
    }

    public static void main(String[] args) {
        // DJL reads this before its first class loads; without it the engine's start-up calls the network.
        System.setProperty("ai.djl.offline", "true");
        System.exit(new BristleCli(System.console() != null).run(List.of(args), System.out, System.err));
    }

    /** Without a command: the list of commands, and bad usage. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return USAGE;
    }

    /** Progress of long work: a bar when the user watches a terminal, plain lines otherwise. */
    CliProgress progress(PrintWriter err) {
        return new CliProgress(err, terminal, System::currentTimeMillis);
    }

    int run(List<String> args, PrintStream out, PrintStream err) {
        PrintWriter outWriter = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter errWriter = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        try {
            return commandLine(outWriter, errWriter).execute(args.toArray(String[]::new));
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine line = new CommandLine(this);
        AutoComplete.GenerateCompletion completion = new AutoComplete.GenerateCompletion();
        line.addSubcommand("completion", completion);
        line.getSubcommands().get("completion").getCommandSpec().usageMessage().hidden(false)
                .description("print a bash/zsh completion script for ./bristle");
        line.setOut(out);
        line.setErr(err);
        line.setCaseInsensitiveEnumValuesAllowed(true);
        // One line saying what is wrong and where to look; the usage itself is one --help away.
        line.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println(prefix(e.getCommandLine()) + e.getMessage() + " (see "
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            return USAGE;
        });
        line.setExecutionExceptionHandler((e, command, parseResult) -> {
            command.getErr().println(prefix(command) + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (usersMistake(e)) return USAGE;
            e.printStackTrace(command.getErr());
            return INTERNAL_ERROR;
        });
        return line;
    }

    /** Arguments, settings or files that cannot be used (a file that cannot be read included), not a bug. */
    private static boolean usersMistake(Exception e) {
        return e instanceof InvalidInputException || e instanceof CliUsageException || e instanceof IOException
                || e instanceof UncheckedIOException;
    }

    private static String prefix(CommandLine command) {
        return command.getCommandSpec().qualifiedName() + ": ";
    }

    /** The version from the jar's manifest, when packaged. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = BristleCli.class.getPackage().getImplementationVersion();
            return new String[] {"bristle " + (version == null ? "(development build)" : version)};
        }
    }
}
