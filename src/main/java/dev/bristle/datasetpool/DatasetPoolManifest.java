package dev.bristle.datasetpool;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * A file of {@code dataset-pool/} (copied onto the classpath by the build): distilled sets a third party published,
 * each with its checksum and where it comes from; the files themselves are found under {@code bristle.data-dir}.
 */
public record DatasetPoolManifest(Source source, List<Entry> datasets) {

    /** DC's CIFAR-10 sets, IPC 1 and 10. */
    public static final String DC_CIFAR10 = "dc-cifar10.json";
    /** Every manifest of {@code dataset-pool/}: what {@code ./bristle import} looks for. */
    public static final List<String> ALL = List.of(DC_CIFAR10);

    public record Source(String content, Map<String, String> methodPaper, String repository, String commit,
                         String obtain) {
    }

    /**
     * @param normalization as the manifest words it: "pixels" or "&lt;dataset&gt; mean/std"
     */
    public record Entry(String file, String method, String dataset, int ipc, String format, String normalization,
                        String sha256, String md5, long bytes, Double storedAccuracy, Double paperAccuracy) {
    }

    public static DatasetPoolManifest fromClasspath(String name) {
        String path = "dataset-pool/" + name;
        try (InputStream in = DatasetPoolManifest.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("dataset-pool manifest missing from the classpath: " + path);
            }
            return new ObjectMapper()
                    .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(in, DatasetPoolManifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Where an entry comes from, for its detail page. */
    public String provenance(Entry entry) {
        return source.methodPaper().get("title") + " (" + source.methodPaper().get("venue") + "); file "
                + entry.file() + " from " + source.repository() + " at commit " + source.commit()
                + (entry.storedAccuracy() == null ? "" : "; ConvNet accuracy stored in the file "
                + entry.storedAccuracy() + " %") + (entry.paperAccuracy() == null ? "" : ", paper "
                + entry.paperAccuracy() + " %") + ". " + source.content();
    }
}
