package dev.bristle.published;

import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.metrics.RobustnessMetrics;
import dev.bristle.ml.metrics.StudentResults;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Recomputes every published number that the published white-box logs allow and compares. A number is checkable
 * when the logs hold its method and dataset at its IPC; "all" (unified) needs the logs of IPC 1, 10 and 50.
 */
public final class Regression {

    public static final double DEFAULT_TOLERANCE = 0.005;
    private static final List<String> UNIFIED_IPCS = List.of("1", "10", "50");

    private final RobustnessMetrics metrics;
    private final double tolerance;

    public Regression(RobustnessMetrics metrics, double tolerance) {
        this.metrics = metrics;
        this.tolerance = tolerance;
    }

    public double tolerance() {
        return tolerance;
    }

    public List<RegressionCheck> run(PublishedResults published) {
        // method|dataset -> ipc -> white-box run
        Map<String, Map<String, LoggedRun>> logs = published.logs().runs().stream()
                .filter(r -> LoggedRun.WHITE_BOX.equals(r.kind()))
                .collect(Collectors.groupingBy(r -> key(r.method(), r.dataset()),
                        Collectors.toMap(LoggedRun::ipc, r -> r, (a, b) -> a, TreeMap::new)));

        List<RegressionCheck> checks = new ArrayList<>();
        for (PublishedEntry e : published.leaderboard().entries()) {
            for (String metric : List.of("CREI", "RRM", "AEM")) {
                double value = switch (metric) {
                    case "CREI" -> e.crei();
                    case "RRM" -> e.rrm();
                    default -> e.aem();
                };
                check(logs, "leaderboard", e.dataset(), e.ipc(), e.mode(), e.method(), metric, value, null)
                        .ifPresent(checks::add);
            }
        }
        for (PaperValue v : published.paperTables().values()) {
            if (v.value() == null || !"standard".equals(v.training())) {
                continue;
            }
            check(logs, "paper Table " + v.table(), v.dataset(), v.ipc(), v.mode(), v.method(), v.metric(),
                    v.value(), v.note()).ifPresent(checks::add);
        }
        checks.sort(Comparator.comparing(RegressionCheck::source).thenComparing(RegressionCheck::mode)
                .thenComparing(RegressionCheck::dataset).thenComparing(RegressionCheck::method)
                .thenComparing(c -> ipcOrder(c.ipc())).thenComparing(RegressionCheck::metric));
        return checks;
    }

    private Optional<RegressionCheck> check(Map<String, Map<String, LoggedRun>> logs, String source, String dataset,
                                            String ipc, String mode, String method, String metric, double published,
                                            String knownProblem) {
        Map<String, LoggedRun> byIpc = logs.get(key(method, dataset));
        if (byIpc == null) {
            return Optional.empty();
        }
        List<String> ipcs = "all".equals(ipc) ? UNIFIED_IPCS : List.of(ipc);
        if (!byIpc.keySet().containsAll(ipcs)) {
            return Optional.empty();
        }
        if (knownProblem != null) {
            return Optional.of(new RegressionCheck(source, dataset, ipc, mode, method, metric, published,
                    null, null, RegressionCheck.Status.SKIPPED, knownProblem));
        }
        AttackMode attackMode = AttackMode.fromKey(mode);
        List<StudentResults> students = ipcs.stream().map(i -> byIpc.get(i).studentResults(attackMode)).toList();
        MetricReport report = metrics.multiAdversary(attackMode, students);
        Double recomputed = switch (metric) {
            case "CREI" -> report.crei();
            case "RRM" -> report.rr();
            case "AEM" -> report.ae();
            default -> throw new InvalidInputException(source + ": unknown metric " + metric);
        };
        if (recomputed == null) {
            return Optional.of(new RegressionCheck(source, dataset, ipc, mode, method, metric, published,
                    null, null, RegressionCheck.Status.FAIL, String.join("; ", report.notes())));
        }
        double difference = recomputed - published;
        var status = Math.abs(difference) <= tolerance ? RegressionCheck.Status.PASS : RegressionCheck.Status.FAIL;
        return Optional.of(new RegressionCheck(source, dataset, ipc, mode, method, metric, published,
                recomputed, difference, status, null));
    }

    private static String key(String method, String dataset) {
        return method + "|" + dataset;
    }

    private static int ipcOrder(String ipc) {
        return "all".equals(ipc) ? Integer.MAX_VALUE : Integer.parseInt(ipc);
    }
}
