package dev.bristle.web.pools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bristle.config.BristleConfig;
import dev.bristle.datasetpool.UploadForm;
import dev.bristle.web.common.ApiProblems;
import dev.bristle.web.common.ErrorMapper;
import dev.bristle.web.common.FormProblems;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A request whose declared body exceeds {@code quarkus.http.limits.max-body-size} gets the answer every refused
 * upload gets (a JSON problem under /api, the upload form with the problem for the form's address, the error page
 * elsewhere) instead of the HTTP layer's bare 413. It runs just before Quarkus' own check of the declared length, and
 * reads the body to its end, discarding it, before answering: a browser that is still sending when the server
 * answers and closes shows a reset connection, not the answer. Nothing is buffered or stored. (A chunked body without
 * a declared length that grows past the limit still meets the HTTP layer's bare 413.)
 */
@ApplicationScoped
public class OversizedRequests {

    /** Quarkus enforces the limit at order -2; this goes first. */
    private static final int ORDER = -3;
    private static final long MIB = 1024 * 1024;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    Optional<MemorySize> maxBodySize;

    @Inject
    BristleConfig config;

    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        maxBodySize.ifPresent(limit -> router.route().order(ORDER).handler(c -> check(c, limit.asLongValue())));
    }

    private void check(RoutingContext context, long limit) {
        long declared = declaredLength(context.request());
        if (declared <= limit) {
            context.next();
            return;
        }
        String problem = String.format(Locale.ROOT, "The request is %d bytes (%s), more than this server accepts"
                        + " (%d bytes, %s); a distilled set may be at most %d bytes (%s).", declared, mib(declared),
                limit, mib(limit), config.uploadMaxBytes(), mib(config.uploadMaxBytes()));
        String path = context.normalizedPath();
        String type = path.startsWith("/api") ? MediaType.APPLICATION_JSON : MediaType.TEXT_HTML + ";charset=UTF-8";
        String body = path.startsWith("/api") ? problemJson(problem) : page(path, problem);
        HttpServerRequest request = context.request();
        context.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, type)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .endHandler(ended -> request.connection().close());
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            // The client waits for a go-ahead before sending the body: answer at once, it sends nothing.
            context.response().end(body);
            return;
        }
        request.handler(discarded -> {
        });
        request.exceptionHandler(failure -> request.connection().close());
        request.endHandler(ended -> context.response().end(body));
        request.resume();
    }

    /** The page, rendered in a request context of its own: this runs before Quarkus REST opens one. */
    private static String page(String path, String problem) {
        var requestContext = io.quarkus.arc.Arc.container().requestContext();
        boolean activated = !requestContext.isActive();
        if (activated) requestContext.activate();
        try {
            return path.equals("/datasets") || path.equals("/datasets/")
                    ? DatasetPages.upload(UploadForm.EMPTY,
                    FormProblems.ofUpload(List.of("File: " + problem))).render()
                    : ErrorMapper.Templates.error(413, "Too large", problem, List.of()).render();
        } finally {
            if (activated) requestContext.terminate();
        }
    }

    private String problemJson(String problem) {
        try {
            return json.writeValueAsString(new ApiProblems(413, "The upload was refused; nothing was stored.",
                    List.of(problem)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the refusal as JSON", e);
        }
    }

    /** The Content-Length, or -1 when there is none (or it is not a number: the HTTP layer refuses that). */
    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) return -1;
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String mib(long bytes) {
        return bytes % MIB == 0 ? bytes / MIB + " MiB" : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
    }
}
