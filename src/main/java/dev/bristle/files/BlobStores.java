package dev.bristle.files;

import dev.bristle.config.BristleConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The blob store {@code bristle.blob-store} selects: {@code files} (the default) or {@code database}. */
@ApplicationScoped
public class BlobStores {

    @Produces
    @ApplicationScoped
    BlobStore selected(BristleConfig config, FileBlobStore files, DatabaseBlobStore database) {
        return switch (config.blobStore()) {
            case FILES -> files;
            case DATABASE -> database;
        };
    }
}
