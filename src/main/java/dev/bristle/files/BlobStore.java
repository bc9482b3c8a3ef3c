package dev.bristle.files;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Files every app instance reaches: distilled sets, trained students and submitted bundles, by area and name. The file system
 * ({@link FileBlobStore}, one machine or a shared volume) or the database itself ({@link DatabaseBlobStore}: workers on
 * other machines need nothing but the database URL); {@code bristle.blob-store} selects one. Content is streamed both
 * ways, never held whole in memory.
 */
public interface BlobStore {

    /** What a blob is; each area has its own folder in the file store. */
    enum Area {
        /** Distilled sets of the dataset pool, named by content ({@code ab/abcdef....pt}). */
        DATASETS,
        /** Students trained by scoring jobs ({@code job-N/..._studentK.pth}). */
        STUDENTS,
        /** Submitted bundles awaiting or past verification, named by content ({@code ab/abcdef....zip}). */
        BUNDLES
    }

    /**
     * Stores {@code file} as {@code name}, replacing what was stored under that name; {@code file} is consumed (moved
     * or deleted). Readers see the old content or the new one, never a part.
     */
    void moveIn(Area area, String name, Path file) throws IOException;

    boolean exists(Area area, String name);

    /**
     * A file on this machine with the blob's content: the stored file itself, or a copy streamed from where it is
     * stored into this instance's cache (checked against the SHA-256 recorded when it was stored).
     *
     * @throws java.nio.file.NoSuchFileException when nothing is stored under that name
     */
    Path local(Area area, String name) throws IOException;

    /** Removes the blob, if it is stored. */
    void delete(Area area, String name) throws IOException;

    /** Where blobs are kept, for messages users see ("the database", the folders' settings, never a path). */
    String describe();
}
