package dev.bristle.ml.distill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;

/**
 * Where a distilled set comes from, stored inside its .npz ({@code provenance.npy}) and shown with it.
 *
 * @param tool        always "Bristle": the set was made here, not uploaded
 * @param method      the distiller's key
 * @param dataset     the dataset's display name
 * @param ipc         images per class
 * @param seed        the seed every random choice followed from
 * @param iterations  optimization steps (DM) or embedding epochs (herding); 0 for the random subset
 * @param settings    every setting by name ({@link DistillationSettings#describe})
 * @param sourceData  the real images distilled from: files, and which of their images
 * @param network     the network the method used, empty for none
 * @param created     when it finished (ISO-8601, UTC)
 * @param seconds     how long it took
 */
public record Provenance(String tool, String method, String dataset, int ipc, long seed, int iterations,
                         Map<String, Object> settings, String sourceData, String network, String created,
                         double seconds) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a provenance of strings and numbers always serializes", e);
        }
    }

    public static Provenance fromJson(String json) throws JsonProcessingException {
        return JSON.readValue(json, Provenance.class);
    }
}
