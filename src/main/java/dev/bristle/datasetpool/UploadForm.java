package dev.bristle.datasetpool;

import dev.bristle.validation.KnownDataset;
import dev.bristle.validation.Matches;
import dev.bristle.validation.PlainName;
import dev.bristle.validation.WebAddress;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a user states about an upload, as typed (kept as strings so a refused form comes back with them unchanged);
 * each field's constraints are checked before the file is read, surrounding spaces aside.
 *
 * @param normalization "pixels" or "mean-std"
 */
public record UploadForm(
        @NotBlank(message = "give the distillation method's name") @PlainName
        @Matches(regexp = "([A-Za-z0-9][A-Za-z0-9 ._+-]{0," + (MAX_METHOD - 1) + "})?",
                message = "'{value}' should be at most " + MAX_METHOD + " letters, digits, spaces or . _ + - (for"
                        + " example DC, DSA, MTT)")
        String method,
        @WebAddress(max = MAX_URL) String paperUrl,
        @Size(max = MAX_AUTHORS, message = "at most {max} characters") @PlainName String authors,
        @KnownDataset String dataset,
        @Matches(regexp = "0*[1-9][0-9]{0,8}", message = "'{value}' is not a positive whole number of images per class")
        String ipc,
        @Matches(regexp = "pixels|mean-std", message = "choose 'pixels' (values in [0, 1]) or 'mean-std' (the"
                + " dataset's mean/std), not '{value}'")
        String normalization) {

    static final int MAX_METHOD = 64;
    static final int MAX_URL = 500;
    static final int MAX_AUTHORS = 300;

    public static final UploadForm EMPTY = new UploadForm("", "", "", "CIFAR-10", "10", "mean-std");

    /** Each field's label, which its problems start with ("IPC: ..."), in the form's order; the file's too. */
    public static final Map<String, String> LABELS;

    static {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("file", "File");
        labels.put("dataset", "Dataset");
        labels.put("method", "Method");
        labels.put("ipc", "IPC");
        labels.put("normalization", "Normalization");
        labels.put("paperUrl", "Paper link");
        labels.put("authors", "Authors");
        LABELS = Collections.unmodifiableMap(labels);
    }

    /** The form as typed, each field cut to what it may hold, to show a refused form again without echoing a flood. */
    public UploadForm bounded() {
        return new UploadForm(cut(method, MAX_METHOD), cut(paperUrl, MAX_URL), cut(authors, MAX_AUTHORS),
                cut(dataset, 32), cut(ipc, 12), cut(normalization, 16));
    }

    private static String cut(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length);
    }
}
