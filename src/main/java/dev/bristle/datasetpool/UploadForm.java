package dev.bristle.datasetpool;

/**
 * What a user states about an upload, as typed (kept as strings so a refused form comes back with them unchanged).
 *
 * @param normalization "pixels" or "mean-std"
 */
public record UploadForm(String method, String paperUrl, String authors, String dataset, String ipc,
                         String normalization) {

    public static final UploadForm EMPTY = new UploadForm("", "", "", "CIFAR-10", "10", "mean-std");
}
