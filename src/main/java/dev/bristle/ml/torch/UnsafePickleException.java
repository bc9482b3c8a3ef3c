package dev.bristle.ml.torch;

/** A pickle asked for something outside the allow-list (an opcode or a global); nothing of it was executed. */
public class UnsafePickleException extends TorchFormatException {

    public UnsafePickleException(String message) {
        super(message);
    }
}
