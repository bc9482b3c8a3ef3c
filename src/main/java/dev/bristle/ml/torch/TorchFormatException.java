package dev.bristle.ml.torch;

import java.io.IOException;

/** A file that is not the torch, pickle or zip content it claims to be; the message names the file and the defect. */
public class TorchFormatException extends IOException {

    public TorchFormatException(String message) {
        super(message);
    }

    public TorchFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
