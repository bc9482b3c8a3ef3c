package dev.bristle.web;

/** A request the app cannot serve, with the status and the message the user sees (page or JSON). */
public class WebError extends RuntimeException {

    private final int status;

    public WebError(int status, String message) {
        super(message);
        this.status = status;
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
}
