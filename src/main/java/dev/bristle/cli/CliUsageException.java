package dev.bristle.cli;

/** Bad command-line arguments: the launcher prints the message and the command's usage, and exits 2. */
public class CliUsageException extends RuntimeException {
    public CliUsageException(String message) {
        super(message);
    }
}
