package dev.bristle.ml.data;

import java.io.IOException;

/** A dataset file whose content is not what its format promises; the message names the file and the defect. */
public class DatasetFormatException extends IOException {

    public DatasetFormatException(String message) {
        super(message);
    }

    public DatasetFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
