package dev.bristle.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bristle.ml.metrics.RobustnessMetrics;
import dev.bristle.published.PublishedResults;
import dev.bristle.published.Regression;
import dev.bristle.published.RegressionCheck;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code ./bristle regress}: recompute every published number the logs allow; exit 1 when one drifts. */
public final class RegressCommand implements CliCommand {

    @Override
    public String name() {
        return "regress";
    }

    @Override
    public String summary() {
        return "recompute the published numbers from the published logs; exit 1 on a difference";
    }

    @Override
    public String usage() {
        return """
                usage: bristle regress [--json FILE] [--leaderboards DIR] [--tolerance T]
                  --json FILE          also write the table as JSON
                  --leaderboards DIR   read the published results from DIR instead of the built-in copy
                  --tolerance T        largest accepted |recomputed - published| (default 0.005)
                exit status: 0 all within tolerance, 1 a difference exceeds it, 2 bad arguments or input""";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Path json = null;
        Path directory = null;
        double tolerance = Regression.DEFAULT_TOLERANCE;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            switch (option) {
                case "--json" -> json = Path.of(value(args, ++i, option));
                case "--leaderboards" -> directory = Path.of(value(args, ++i, option));
                case "--tolerance" -> tolerance = tolerance(value(args, ++i, option));
                default -> throw new CliUsageException("unknown option '" + option + "'");
            }
        }
        PublishedResults published = directory == null
                ? PublishedResults.fromClasspath()
                : PublishedResults.fromDirectory(directory);
        Regression regression = new Regression(RobustnessMetrics.beard(), tolerance);
        List<RegressionCheck> checks = regression.run(published);
        print(checks, tolerance, out);
        if (json != null) {
            writeJson(checks, tolerance, json);
            out.println("wrote " + json);
        }
        return checks.stream().anyMatch(c -> c.status() == RegressionCheck.Status.FAIL) ? 1 : 0;
    }

    static String value(List<String> args, int index, String option) {
        if (index >= args.size() || args.get(index).startsWith("--")) {
            throw new CliUsageException(option + " needs a value");
        }
        return args.get(index);
    }

    private static double tolerance(String text) {
        try {
            double t = Double.parseDouble(text);
            if (t >= 0 && Double.isFinite(t)) {
                return t;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new CliUsageException("--tolerance must be a non-negative number, got '" + text + "'");
    }

    private static void print(List<RegressionCheck> checks, double tolerance, PrintStream out) {
        String format = "%-15s %-12s %-4s %-10s %-7s %-5s %9s %10s %7s  %s%n";
        out.printf(format, "source", "dataset", "ipc", "mode", "method", "metric", "published", "recomputed",
                "diff", "status");
        for (RegressionCheck c : checks) {
            out.printf(Locale.ROOT, format, c.source(), c.dataset(), c.ipc(), c.mode(), c.method(), c.metric(),
                    String.format(Locale.ROOT, "%.2f", c.published()),
                    c.recomputed() == null ? "-" : String.format(Locale.ROOT, "%.4f", c.recomputed()),
                    c.difference() == null ? "-" : String.format(Locale.ROOT, "%+.4f", c.difference()),
                    c.status().name().toLowerCase(Locale.ROOT) + (c.reason() == null ? "" : " (" + c.reason() + ")"));
        }
        long passed = count(checks, RegressionCheck.Status.PASS);
        long failed = count(checks, RegressionCheck.Status.FAIL);
        long skipped = count(checks, RegressionCheck.Status.SKIPPED);
        out.printf(Locale.ROOT, "%d checks within %.3f: %d passed, %d failed, %d skipped%n",
                checks.size(), tolerance, passed, failed, skipped);
    }

    private static long count(List<RegressionCheck> checks, RegressionCheck.Status status) {
        return checks.stream().filter(c -> c.status() == status).count();
    }

    private static void writeJson(List<RegressionCheck> checks, double tolerance, Path file) throws Exception {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("tolerance", tolerance);
        document.put("passed", checks.stream().noneMatch(c -> c.status() == RegressionCheck.Status.FAIL));
        document.put("checks", checks);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(file.toFile(), document);
    }
}
