package dev.bristle.cli;

import java.io.PrintStream;
import java.util.List;

/** One subcommand of the {@code ./bristle} launcher that runs without the web app. */
public interface CliCommand {

    /** The word that selects it: {@code ./bristle NAME ...}. */
    String name();

    /** One line for the launcher's help. */
    String summary();

    /** Full usage text, printed for {@code --help} and after a usage error. */
    String usage();

    /**
     * Runs the command.
     *
     * @return the process exit code: 0 success, 1 a failed check, 2 a usage or input error
     */
    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
