package dev.bristle.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of the command-line tools ({@code ./bristle regress}, {@code ./bristle evaluate}, ...). Plain Java: no
 * web server and no database start, so a CI pipeline gets its answer in seconds.
 */
public final class BristleCli {

    private final Map<String, CliCommand> commands = new LinkedHashMap<>();

    BristleCli(List<CliCommand> available) {
        available.forEach(c -> commands.put(c.name(), c));
    }

    static BristleCli standard() {
        return new BristleCli(List.of(new RegressCommand(), new EvaluateCommand(), new ScoreCommand(),
                new DistillCommand()));
    }

    public static void main(String[] args) {
        // DJL reads this before its first class loads; without it the engine's start-up calls the network.
        System.setProperty("ai.djl.offline", "true");
        System.exit(standard().run(List.of(args), System.out, System.err));
    }

    int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("help")) {
            out.println(help());
            return args.isEmpty() ? 2 : 0;
        }
        CliCommand command = commands.get(args.get(0));
        if (command == null) {
            err.println("bristle: unknown command '" + args.get(0) + "'");
            err.println(help());
            return 2;
        }
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("--help")) {
            out.println(command.usage());
            return 0;
        }
        try {
            return command.run(rest, out, err);
        } catch (CliUsageException e) {
            err.println("bristle " + command.name() + ": " + e.getMessage());
            err.println(command.usage());
            return 2;
        } catch (Exception e) {
            err.println("bristle " + command.name() + ": " + e.getMessage());
            return 2;
        }
    }

    String help() {
        StringBuilder text = new StringBuilder("usage: bristle [serve | COMMAND ...]\n\n");
        text.append(String.format("  %-10s %s%n", "serve", "start the web app (the default)"));
        commands.values().forEach(c -> text.append(String.format("  %-10s %s%n", c.name(), c.summary())));
        text.append("\nbristle COMMAND --help shows a command's options.");
        return text.toString();
    }
}
