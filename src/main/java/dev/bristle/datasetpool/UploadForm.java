package dev.bristle.datasetpool;

/**
 * What a user states about an upload, as typed (kept as strings so a refused form comes back with them unchanged).
 *
 * @param normalization "pixels" or "mean-std"
 */
public record UploadForm(String method, String paperUrl, String authors, String dataset, String ipc,
                         String normalization) {

    public static final UploadForm EMPTY = new UploadForm("", "", "", "CIFAR-10", "10", "mean-std");

    /** The form as typed, each field cut to what it may hold, to show a refused form again without echoing a flood. */
    public UploadForm bounded() {
        return new UploadForm(cut(method, 64), cut(paperUrl, 500), cut(authors, 300), cut(dataset, 32), cut(ipc, 12),
                cut(normalization, 16));
    }

    private static String cut(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length);
    }
}
