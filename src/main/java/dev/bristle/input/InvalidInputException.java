package dev.bristle.input;

/**
 * The user's mistake, not the program's: a key, setting, parameter or file that cannot be used, with a message the user
 * can act on. The web maps it to a 400 (dev.bristle.web.common.ErrorMapper), the command line to exit status 2, and a
 * worker does not retry the task that met it; any other exception is a bug (a 500, logged; a task retried). Plain Java,
 * so the compute core throws it too. A subclass of IllegalArgumentException so that callers which caught the user's
 * mistakes as such keep catching them; a precondition that code violates stays a plain IllegalArgumentException.
 */
public class InvalidInputException extends IllegalArgumentException {

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
