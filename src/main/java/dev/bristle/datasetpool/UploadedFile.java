package dev.bristle.datasetpool;

import java.nio.file.Path;

/** One file part of an upload: where the HTTP layer saved it and the name the user's file had. */
public record UploadedFile(Path path, String fileName) {
}
