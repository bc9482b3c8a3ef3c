package dev.bristle.web.common;

import dev.bristle.datasetpool.UploadedFile;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.util.List;

/** The file parts of an upload, from the upload page's form and from scripts alike. */
public final class UploadParts {

    private UploadParts() {
    }

    /** The parts that carry a file: a browser sends an empty part for a file input left empty. */
    public static List<UploadedFile> files(List<FileUpload> files) {
        return files == null ? List.of() : files.stream()
                .filter(f -> f.fileName() != null && !f.fileName().isBlank())
                .map(f -> new UploadedFile(f.uploadedFile(), f.fileName()))
                .toList();
    }
}
