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

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * This app instance as the job engine and its workers name it in the work they run, and the rules the workers share:
 * when a worker counts as gone, what a failure says, whether another attempt is worth it.
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

    /** The name this instance runs work under. */
    public String id() {
        return id;
    }

    /** A worker silent since before this (as long as the engine waits for a dead instance's work) counts as gone. */
    public Instant staleCutoff() {
        return Instant.now().minus(Duration.ofSeconds((long) config.worker().heartbeatSeconds()
                * config.worker().missedHeartbeats()));
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

    /**
     * Stable across restarts, so a job's attempts name one instance however often it restarted; the home folder enters
     * as a short digest, since job pages show the name and a server path is not theirs to show.
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
