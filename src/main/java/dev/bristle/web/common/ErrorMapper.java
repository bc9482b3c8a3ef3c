package dev.bristle.web.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.bristle.input.InvalidInputException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/**
 * Every failure becomes a clean answer: under /api a JSON {@link ApiError} (an {@link ApiProblems} when several things
 * are wrong), elsewhere an HTML page with the message and a way back. Unexpected errors are logged and never shown as
 * a stack trace; refusals of a request's content name the field and never echo more than a short excerpt. The user's
 * mistakes ({@link InvalidInputException}) are a 400 with their message; any other exception is a bug, a 500.
 */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);
    private static final int QUOTA_RETRY_SECONDS = 60;
    private static final String FORM_READER = "org.jboss.resteasy.reactive.server.handlers.FormBodyHandler";

    @CheckedTemplate
    public static class Templates {
        public static native TemplateInstance error(int status, String title, String message, List<String> problems);
    }

    @ServerExceptionMapper
    public Response webError(WebError error, UriInfo uri) {
        return respond(error.status(), error.getMessage(), error.problems(), uri);
    }

    /** Not signed in: an API client is told to send a token, a browser is sent to the sign-in page. */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response unauthorized(io.quarkus.security.UnauthorizedException error, UriInfo uri) {
        if (uri.getPath().startsWith("/api")) {
            return Response.status(401).type(MediaType.APPLICATION_JSON_TYPE)
                    .header("WWW-Authenticate", "Bearer realm=\"bristle\"")
                    .entity(new ApiError(401, "Sign in first: send Authorization: Bearer <your API token>.")).build();
        }
        return Response.seeOther(java.net.URI.create("/login?next=" + java.net.URLEncoder.encode(uri.getPath(),
                java.nio.charset.StandardCharsets.UTF_8))).build();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response forbidden(io.quarkus.security.ForbiddenException error, UriInfo uri) {
        String message = error.getMessage() == null || error.getMessage().isBlank()
                ? "Your account may not do this." : error.getMessage();
        return respond(403, message, List.of(), uri);
    }

    /**
     * A count over time (429) says when to ask again: a job ends or the hour moves on at a time not known here, so
     * a minute, as the rate limits say, keeps a client from asking again at once.
     */
    @ServerExceptionMapper
    public Response quota(dev.bristle.accounts.QuotaExceeded error, UriInfo uri) {
        Response refusal = respond(error.tooMany() ? 429 : 400, "Over your quota; nothing was changed.",
                error.problems(), uri);
        return error.tooMany() ? Response.fromResponse(refusal).header("Retry-After", QUOTA_RETRY_SECONDS).build()
                : refusal;
    }

    @ServerExceptionMapper
    public Response tokenLimit(dev.bristle.accounts.TokenLimitReached error, UriInfo uri) {
        return respond(409, "No token was created.", List.of(error.getMessage()), uri);
    }

    /** The user's mistake, wherever it is found (a key, a setting, a file): a 400 with its message. */
    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException error, UriInfo uri) {
        return respond(400, error.getMessage(), List.of(), uri);
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException violations, UriInfo uri) {
        return respond(400, "The request was refused; nothing was changed.", Violations.problems(violations), uri);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException error, UriInfo uri) {
        return respond(400, "The request was refused; nothing was changed.", List.of(JsonProblems.describe(error)), uri);
    }

    /** Ahead of Quarkus' own mapper for these, whose answer quotes the offending value whatever its size. */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response mismatchedJson(MismatchedInputException error, UriInfo uri) {
        return unreadableJson(error, uri);
    }

    /**
     * Quarkus REST reports a multipart body it cannot parse (empty, cut short, no boundary) as a plain IOException
     * from the handler that reads forms, before any resource method runs; any other IOException is the server's.
     */
    @ServerExceptionMapper
    public Response unreadableBody(java.io.IOException error, UriInfo uri) {
        boolean readingForm = java.util.Arrays.stream(error.getStackTrace())
                .anyMatch(frame -> frame.getClassName().equals(FORM_READER));
        if (!readingForm) return unexpected(error, uri);
        return respond(400, "The form could not be read: its multipart body is broken or incomplete; nothing was"
                + " stored.", List.of(), uri);
    }

    /**
     * Quarkus REST wraps what a parameter's converter throws in a 404 (path, query) or a 400 (header, form); a
     * {@link WebError} of {@link KeyedParams} says itself what was wrong.
     */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException exception, UriInfo uri) {
        if (exception.getCause() instanceof WebError error) return webError(error, uri);
        int status = exception.getResponse().getStatus();
        if (status < 400) {
            return exception.getResponse();
        }
        if (exception.getCause() instanceof JsonProcessingException json) return unreadableJson(json, uri);
        String message = switch (status) {
            case 400 -> "The request could not be read (a malformed body or form?).";
            case 404 -> "There is no page at " + uri.getPath() + ".";
            case 405 -> "This address does not accept that request method.";
            case 406, 415 -> "This address cannot answer in the requested format.";
            case 413 -> "Part of the request (a form field?) is larger than this server accepts; nothing was changed.";
            default -> "The request could not be served (" + status + ").";
        };
        return respond(status, message, List.of(), uri);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable error, UriInfo uri) {
        LOG.errorf(error, "unexpected error serving %s", uri.getPath());
        return respond(500, "Something went wrong on our side; the error has been logged.", List.of(), uri);
    }

    private static Response respond(int status, String message, List<String> problems, UriInfo uri) {
        return respond(status, message, problems, uri.getPath());
    }

    /** The answer for a path: a JSON problem under /api, the error page elsewhere. */
    static Response respond(int status, String message, List<String> problems, String path) {
        if (path.startsWith("/api")) {
            Object body = problems.isEmpty() ? new ApiError(status, message) : new ApiProblems(status, message, problems);
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
        }
        String title = switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Sign in needed";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 500 -> "Server error";
            default -> "Error " + status;
        };
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.error(status, title, message, problems).render()).build();
    }
}
