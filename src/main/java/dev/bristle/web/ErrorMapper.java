package dev.bristle.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every failure becomes a clean answer: under /api a JSON {@link ApiError}, elsewhere an HTML page with the message
 * and a way back. Unexpected errors are logged and never shown as a stack trace.
 */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(int status, String title, String message);
    }

    @ServerExceptionMapper
    public Response webError(WebError error, UriInfo uri) {
        return respond(error.status(), error.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException exception, UriInfo uri) {
        int status = exception.getResponse().getStatus();
        if (status < 400) {
            return exception.getResponse();
        }
        String message = switch (status) {
            case 404 -> "There is no page at " + uri.getPath() + ".";
            case 405 -> "This address does not accept that request method.";
            case 406, 415 -> "This address cannot answer in the requested format.";
            default -> "The request could not be served (" + status + ").";
        };
        return respond(status, message, uri);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable error, UriInfo uri) {
        LOG.errorf(error, "unexpected error serving %s", uri.getPath());
        return respond(500, "Something went wrong on our side; the error has been logged.", uri);
    }

    private static Response respond(int status, String message, UriInfo uri) {
        if (uri.getPath().startsWith("/api")) {
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError(status, message)).build();
        }
        String title = switch (status) {
            case 400 -> "Bad request";
            case 404 -> "Not found";
            case 500 -> "Server error";
            default -> "Error " + status;
        };
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.error(status, title, message).render()).build();
    }
}
