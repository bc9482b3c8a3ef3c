package dev.bristle.jobs;

import dev.bristle.config.BristleConfig;
import dev.bristle.files.Digests;
import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.data.DatasetFormatException;
import dev.bristle.ml.torch.TorchFormatException;
import dev.bristle.text.ServerPaths;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * This app instance as its workers (scoring, distillation) name it in the work they claim, and the rules they share:
 * when a heartbeat counts as stale, how a poll drains the queue, what a failure says.
 */
@ApplicationScoped
public class WorkerInstance {

    @Inject
    BristleConfig config;

    private String id;

    @PostConstruct
    void name() {
        id = config.worker().instanceId().orElseGet(() -> defaultId(config.home()));
    }

    /** The name this instance claims work under. */
    public String id() {
        return id;
    }

    /** Seconds without a heartbeat after which running work is taken as its instance's crash. */
    public int staleSeconds() {
        return config.worker().heartbeatSeconds() * config.worker().missedHeartbeats();
    }

    /** Running work, or a worker, silent since before this is taken as crashed. */
    public Instant staleCutoff() {
        return Instant.now().minus(Duration.ofSeconds(staleSeconds()));
    }

    /**
     * Polls until the queue is empty or the worker stops. Catches whatever is thrown and logs it: a scheduled task that
     * throws is silently never run again.
     */
    public static void drain(String worker, BooleanSupplier stopping, Supplier<Optional<Long>> poll, Logger log) {
        try {
            while (!stopping.getAsBoolean() && poll.get().isPresent()) {
                // Drain the queue before sleeping again.
            }
        } catch (Throwable e) {
            log.error(worker + ": polling failed; trying again at the next poll", e);
        }
    }

    /**
     * What a failure of a job says, as its page shows it: its message, or the whole throwable when the message alone
     * would not say it; files by name, never where they are on the server ({@link ServerPaths}).
     */
    public static String reason(Throwable e) {
        // An Error's message alone ("org/slf4j/LoggerFactory") does not say what went wrong.
        return ServerPaths.hide(e.getMessage() == null || e instanceof Error ? e.toString() : e.getMessage());
    }

    /**
     * Whether a failure is the work's input's own (a set that fails its checks, settings no longer valid): another
     * attempt would fail the same way. Anything else (a bug, a file out of reach) is worth another attempt.
     */
    public static boolean inputsFault(Throwable e) {
        return e instanceof InvalidInputException || e instanceof DatasetFormatException
                || e instanceof TorchFormatException;
    }

    /** Threads of {@code name} that do not keep the app from stopping. */
    public static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Stable across restarts, so a restarted instance recognizes the work it left RUNNING; the home folder enters as
     * a short digest, since job pages show the name and a server path is not theirs to show.
     */
    private static String defaultId(Path home) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        byte[] homePath = home.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8);
        return host + ":" + Digests.sha256(homePath).substring(0, 8);
    }
}
