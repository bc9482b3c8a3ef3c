package dev.bristle.accounts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** Accounts, sign-in and the submitters' quotas. */
@ConfigMapping(prefix = "bristle.accounts")
public interface AccountsConfig {

    /** {@code BRISTLE_ADMIN_TOKEN}: when set, a maintainer's API token (the first maintainer, before any account). */
    Optional<String> adminToken();

    /** Whether visitors may create submitter accounts themselves at /signup. */
    @WithDefault("false")
    boolean selfSignup();

    /** Hours a browser stays signed in. */
    @WithDefault("12")
    int sessionHours();

    /** Whether the session cookie is marked Secure (set it behind HTTPS). */
    @WithDefault("false")
    boolean secureCookies();

    /** API tokens one account may hold (HTTP 409 beyond): a leaked session cannot mint tokens without end. */
    @WithDefault("20")
    int maxTokens();

    /** Requests per client address and minute (HTTP 429 beyond). */
    Limits limits();

    interface Limits {

        @WithDefault("10")
        int signInsPerMinute();

        /** Upload requests (stored or refused) to /datasets, /api/datasets, /submissions and /api/submissions. */
        @WithDefault("30")
        int uploadsPerMinute();
    }

    /** What one submitter may ask for; maintainers are not held to it. BEARD's official settings always fit. */
    Quota quota();

    interface Quota {

        /** Queued and running jobs at once. */
        @WithDefault("2")
        int activeJobs();

        /** Most nominal epochs of a job (BEARD's official: 1000). */
        @WithDefault("1000")
        int maxEpochs();

        /** Most students of a job (BEARD's official: 5). */
        @WithDefault("5")
        int maxStudents();

        /** Most test images a job evaluates on (BEARD's official: the whole 10,000-image test split). */
        @WithDefault("10000")
        int maxTestImages();

        /** Uploads stored per hour. */
        @WithDefault("10")
        int uploadsPerHour();

        /** Bundles submitted for verification per hour (each costs the server a re-run of parts of it). */
        @WithDefault("3")
        int submissionsPerHour();
    }
}
