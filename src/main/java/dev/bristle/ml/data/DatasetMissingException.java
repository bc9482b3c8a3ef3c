package dev.bristle.ml.data;

import java.io.IOException;

/** A dataset's files are not in the data directory and could not be fetched; the message says what to put where. */
public class DatasetMissingException extends IOException {

    public DatasetMissingException(String message) {
        super(message);
    }

    public DatasetMissingException(String message, Throwable cause) {
        super(message, cause);
    }
}
