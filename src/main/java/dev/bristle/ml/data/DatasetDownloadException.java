package dev.bristle.ml.data;

import java.io.IOException;

/** A download or its installation failed (HTTP error, checksum mismatch, unsafe archive); nothing was installed. */
public class DatasetDownloadException extends IOException {

    public DatasetDownloadException(String message) {
        super(message);
    }

    public DatasetDownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
