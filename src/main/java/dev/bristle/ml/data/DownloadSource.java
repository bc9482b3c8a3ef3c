package dev.bristle.ml.data;

import java.net.URI;

/**
 * One file to fetch for a dataset.
 *
 * @param url         where it is published
 * @param fileName    its official name
 * @param md5           its official checksum (lower-case hex); null where the file's bytes are not fixed
 * @param contentSha256 SHA-256 of its content after gzip decompression (lower-case hex); null where only the file's
 *                      md5 is known. Identifies the data whoever (re)compressed the file: Debian's and the official
 *                      Fashion-MNIST {@code .gz} files differ byte for byte, their content does not.
 * @param packaging     how it is installed
 * @param installPath   folder under the data root: where an archive is extracted, or a plain file is put
 */
public record DownloadSource(URI url, String fileName, String md5, String contentSha256, Packaging packaging,
                             String installPath) {

    public DownloadSource {
        if (md5 == null && contentSha256 == null) {
            throw new IllegalArgumentException(fileName + ": a download needs a checksum (md5 or content SHA-256)");
        }
    }

    /** A file identified by the md5 of its bytes. */
    public DownloadSource(URI url, String fileName, String md5, Packaging packaging, String installPath) {
        this(url, fileName, md5, null, packaging, installPath);
    }

    public enum Packaging {
        /** a .tar.gz whose top folder lands in the install path */
        TAR_GZ,
        /** a .zip whose top folder lands in the install path */
        ZIP,
        /** a file kept as it is (gzip-compressed IDX files are read directly) */
        FILE
    }
}
