package dev.bristle.web.common;

import java.util.List;

/**
 * A request the app cannot serve, with the status and the message the user sees (page or JSON); when several things
 * are wrong, each is one of {@link #problems()} (a JSON {@link ApiProblems} under /api).
 */
public class WebError extends RuntimeException {

    private final int status;
    private final List<String> problems;

    public WebError(int status, String message) {
        this(status, message, List.of());
    }

    public WebError(int status, String message, List<String> problems) {
        super(message);
        this.status = status;
        this.problems = List.copyOf(problems);
    }

    public static WebError notFound(String message) {
        return new WebError(404, message);
    }

    public static WebError badRequest(String message) {
        return new WebError(400, message);
    }

    public int status() {
        return status;
    }

    public List<String> problems() {
        return problems;
    }
}
