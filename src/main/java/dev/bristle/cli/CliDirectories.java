package dev.bristle.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The folders the web app's configuration ({@code BristleConfig}) names, resolved the same way without starting
 * Quarkus: a {@code -Dbristle.NAME} system property, else the environment variable Quarkus maps to it
 * ({@code BRISTLE_NAME}), else a folder under {@code bristle.home} ({@code BRISTLE_HOME}, else {@code ./.bristle}).
 */
record CliDirectories(Properties properties, Map<String, String> environment) {

    static CliDirectories ofSystem() {
        return new CliDirectories(System.getProperties(), System.getenv());
    }

    Path home() {
        return Path.of(setting("home", ".bristle"));
    }

    /** Test sets, and the distilled sets the dataset-pool manifests list (under each entry's path). */
    Path dataDir() {
        return Path.of(setting("data-dir", home().resolve("data").toString()));
    }

    /** Checkpoints of the model pool. */
    Path modelPoolDir() {
        return Path.of(setting("model-pool-dir", home().resolve("model-pool").toString()));
    }

    private String setting(String name, String fallback) {
        String property = properties.getProperty("bristle." + name);
        if (property != null && !property.isBlank()) return property;
        String variable = environment.get("BRISTLE_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
        return variable != null && !variable.isBlank() ? variable : fallback;
    }
}
