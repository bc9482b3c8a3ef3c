package dev.bristle.modelpool;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * A file of {@code model-pool/} (copied onto the classpath by the build): checkpoints a benchmark published, each
 * with the SHA-256 its content must have, and where they come from.
 */
public record ModelPoolManifest(Map<String, Object> source, List<Model> models) {

    /** BEARD's six CIFAR-10 IPC-50 students. */
    public static final String BEARD = "beard-cifar10-ipc50.json";
    /** Every manifest of {@code model-pool/}: what {@code ./bristle import} looks for. */
    public static final List<String> ALL = List.of(BEARD);

    public record Model(String file, String sha256) {
    }

    public static ModelPoolManifest fromClasspath(String name) {
        String path = "model-pool/" + name;
        try (InputStream in = ModelPoolManifest.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("model-pool manifest missing from the classpath: " + path);
            }
            return new ObjectMapper()
                    .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(in, ModelPoolManifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** One line saying where the checkpoints come from, for the pool page. */
    public String provenance() {
        return source.get("benchmark") + " model pool, " + source.get("repository") + " at commit "
                + source.get("commit");
    }

    /** How a user gets a missing file. */
    public String howToObtain() {
        return String.valueOf(source.get("obtain"));
    }
}
