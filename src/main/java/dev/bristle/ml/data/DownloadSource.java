package dev.bristle.ml.data;

import java.net.URI;

/**
 * One file to fetch for a dataset.
 *
 * @param url         where it is published
 * @param fileName    its official name
 * @param md5         its official checksum (lower-case hex)
 * @param packaging   how it is installed
 * @param installPath folder under the data root: where an archive is extracted, or a plain file is put
 */
public record DownloadSource(URI url, String fileName, String md5, Packaging packaging, String installPath) {

    public enum Packaging {
        /** a .tar.gz whose top folder lands in the install path */
        TAR_GZ,
        /** a .zip whose top folder lands in the install path */
        ZIP,
        /** a file kept as it is (gzip-compressed IDX files are read directly) */
        FILE
    }
}
