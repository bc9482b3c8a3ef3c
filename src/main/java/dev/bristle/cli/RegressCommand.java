package dev.bristle.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bristle.ml.metrics.RobustnessMetrics;
import dev.bristle.published.PublishedResults;
import dev.bristle.published.Regression;
import dev.bristle.published.RegressionCheck;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./bristle regress}: recompute every published number the logs allow; exit 1 when one drifts. */
@Command(name = "regress", mixinStandardHelpOptions = true, description = "Recompute the published numbers from BEARD's published logs and print"
        + " published, recomputed and difference; exit 1 on a difference beyond the tolerance.",
        footer = {"", "exit status: 0 all within tolerance, 1 a difference exceeds it, 2 bad arguments or input"})
public final class RegressCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the table as JSON")
    Path json;

    @Option(names = "--leaderboards", paramLabel = "DIR", description = "read the published results from DIR"
            + " instead of the built-in copy")
    Path directory;

    @Option(names = "--tolerance", paramLabel = "T", description = "largest accepted |recomputed - published|"
            + " (default 0.005)")
    void tolerance(String text) {
        try {
            tolerance = parseTolerance(text);
        } catch (CliUsageException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private double tolerance = Regression.DEFAULT_TOLERANCE;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
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

    private static double parseTolerance(String text) {
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

    private static void print(List<RegressionCheck> checks, double tolerance, PrintWriter out) {
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
