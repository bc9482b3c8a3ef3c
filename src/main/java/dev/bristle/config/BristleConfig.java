package dev.bristle.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;

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

    /** Distilled data sets. */
    @WithDefault("${bristle.home}/dataset-pool")
    Path datasetPoolDir();
}
