package dev.bristle.config;

import dev.bristle.ml.score.ScoringPipeline;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Where Bristle keeps its files. Everything defaults to a folder under {@code bristle.home}. */
@ConfigMapping(prefix = "bristle")
public interface BristleConfig {

    /** Bristle's own folder (database, caches); {@code BRISTLE_HOME}, else {@code ./.bristle}. */
    Path home();

    /** Test and training data sets. */
    @WithDefault("${bristle.home}/data")
    Path dataDir();

    /** Trained students to evaluate. */
    @WithDefault("${bristle.home}/model-pool")
    Path modelPoolDir();

    /** Distilled data sets, stored by content (SHA-256). */
    @WithDefault("${bristle.home}/dataset-pool")
    Path datasetPoolDir();

    /** Students trained by scoring jobs (the model pool's TRAINED entries). */
    @WithDefault("${bristle.home}/trained-models")
    Path trainedModelDir();

    /**
     * Where distilled sets and trained students are stored: {@code files} (the pool folders above: one machine, or a
     * volume every instance mounts) or {@code database} (the database itself: instances need nothing but its URL).
     */
    @WithDefault("files")
    BlobStoreKind blobStore();

    enum BlobStoreKind { FILES, DATABASE }

    /** Largest distilled-set upload accepted, in bytes (quarkus.http.limits.max-body-size must allow it). */
    @WithDefault("536870912")
    long uploadMaxBytes();

    /**
     * Scales the protocols' official settings ({@code dev.bristle.ml.score.OfficialSettings}, through {@code dev.bristle.scoring.OfficialRuns}) down, for the test
     * suite only: a run matching the scaled settings is ranked through the same code path in seconds. Unset in
     * production, where the official values apply.
     */
    OfficialScale official();

    interface OfficialScale {
        OptionalInt students();

        OptionalInt epochs();

        /** The first this many test images instead of the whole split. */
        OptionalInt testImages();

        Optional<List<String>> attacks();

        Optional<List<String>> modes();
    }

    /** How scoring jobs are split into tasks. */
    Scoring scoring();

    interface Scoring {

        /**
         * Test images one attack task covers, rounded up to whole batches of the attack suite (256): an official run's
         * 10,000 images make ten tasks per attack run, of similar size, which any worker takes.
         */
        @WithDefault("" + ScoringPipeline.Request.DEFAULT_SHARD_IMAGES)
        int shardImages();
    }

    /** The scoring worker that runs queued jobs. */
    Worker worker();

    interface Worker {

        /** Whether this instance runs jobs at all (several instances may share one PostgreSQL database). */
        @WithDefault("true")
        boolean enabled();

        /** Names this instance in the work it runs; defaults to host name and {@code bristle.home}. */
        Optional<String> instanceId();

        /** Seconds between the job engine's looks for due work (it also looks at once when this instance queues). */
        @WithDefault("2")
        int pollSeconds();

        /**
         * How many pieces of work this instance runs at once. One: a task already keeps every core busy through
         * PyTorch's intra-op threads, so more instances, not more threads, make a job go faster.
         */
        @WithDefault("1")
        int threads();

        /** Seconds between the heartbeats the engine writes for the work this instance runs. */
        @WithDefault("30")
        int heartbeatSeconds();

        /** Heartbeats missed before running work is taken as its instance's crash and run again elsewhere. */
        @WithDefault("4")
        int missedHeartbeats();

        /**
         * How many times work that fails with an unexpected error is run before its job fails (1: never again). A
         * failure that is the input's fault (a set that fails its checks, bad settings) fails the job at once.
         */
        @WithDefault("2")
        int taskAttempts();

        /** Seconds before the second attempt of failed work; each further attempt waits twice as long. */
        @WithDefault("10")
        int retrySeconds();

        /**
         * Linux niceness of the thread that runs jobs and of the compute threads it starts (0: as the request threads):
         * while pages are asked for, they get the cores first; alone, a job runs at full speed.
         */
        @WithDefault("10")
        int nice();
    }
}
