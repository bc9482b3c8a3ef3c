package dev.bristle;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/**
 * Runs the PostgreSQL pass where a server answers and skips it with a notice where none does, so README's test
 * command passes on a machine without PostgreSQL; under {@code -Dpostgres.required=true} ({@code .ci/run}) that is a
 * failure instead, so CI never skips the pass silently. The pom marks the pass (surefire's postgresql execution and
 * the integration tests) with {@code postgres.pass}, naming the system property that holds the database URL.
 * A JUnit condition rather than a check in the pom: it probes the very URL the tests connect to, however it was given
 * (the pom's default or {@code -DBRISTLE_DB_URL}), from the JVM that runs them. Jupiter finds it through
 * META-INF/services (extension autodetection, which Quarkus' junit-platform.properties turns on).
 */
public class PostgresPassCondition implements ExecutionCondition {

    private static final int TIMEOUT_MILLIS = 2000;
    private static final ConditionEvaluationResult NOT_THE_PASS =
            ConditionEvaluationResult.enabled("not the PostgreSQL pass");
    /** What the probe found, once per JVM: null when a server answers. */
    private static String unanswered;
    private static boolean probed;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String urlProperty = System.getProperty("postgres.pass");
        if (urlProperty == null || context.getTestClass().isEmpty()) {
            return NOT_THE_PASS;
        }
        String problem = probe(urlProperty);
        if (problem == null) {
            return ConditionEvaluationResult.enabled("PostgreSQL answers");
        }
        if (Boolean.getBoolean("postgres.required")) {
            throw new IllegalStateException(problem + ", and -Dpostgres.required=true demands the PostgreSQL pass");
        }
        return ConditionEvaluationResult.disabled("PostgreSQL pass skipped: " + problem);
    }

    /**
     * Null when something accepts a connection at the host and port of the URL in {@code urlProperty}, else what is
     * wrong (told once).
     */
    private static synchronized String probe(String urlProperty) {
        if (!probed) {
            probed = true;
            unanswered = connect(System.getProperty(urlProperty));
            if (unanswered != null && !Boolean.getBoolean("postgres.required")) {
                System.err.println("[PostgreSQL pass] skipped: " + unanswered + "; start PostgreSQL there or point -D"
                        + urlProperty + " at one (-DskipPostgres leaves the pass out; -Dpostgres.required=true, as"
                        + " .ci/run passes, makes this a failure)");
            }
        }
        return unanswered;
    }

    private static String connect(String url) {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            return "no PostgreSQL URL to probe (" + url + ")";
        }
        // jdbc:postgresql://host[:port]/database; jdbc:postgresql:database means localhost:5432.
        URI address = URI.create(url.substring("jdbc:".length()));
        String host = address.getHost() == null ? "localhost" : address.getHost();
        int port = address.getPort() < 0 ? 5432 : address.getPort();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            return null;
        } catch (IOException e) {
            return "nothing answers at " + host + ":" + port + " (" + url + ")";
        }
    }
}
