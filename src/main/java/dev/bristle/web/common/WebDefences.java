package dev.bristle.web.common;

import dev.bristle.accounts.AccountsConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * The web's defences on every state-changing request, before any resource runs (the security headers of every
 * answer are Quarkus' {@code quarkus.http.header} configuration):
 * <ul>
 *   <li>a cross-site request (an {@code Origin}, or when it is missing, empty or {@code null} a {@code Referer}, of
 *       another scheme, host or port than the site's own) may not change anything: 403, besides the session cookie's
 *       SameSite=Strict, which keeps a cross-site form post anonymous anyway;</li>
 *   <li>a rate limit per client address on sign-in and uploads (429 with Retry-After), counted per route however its
 *       path is spelled ({@link RoutePaths});</li>
 *   <li>a wrong API token: a short 401 problem with the same headers, instead of Quarkus' empty challenge.</li>
 * </ul>
 */
@ApplicationScoped
public class WebDefences {

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    /** The rate-limited routes, as {@link RoutePaths#route} spells them, and their limits per client and minute. */
    static final Map<String, ToIntFunction<AccountsConfig.Limits>> LIMITED = Map.of(
            "/login", AccountsConfig.Limits::signInsPerMinute,
            "/datasets", AccountsConfig.Limits::uploadsPerMinute,
            "/api/datasets", AccountsConfig.Limits::uploadsPerMinute,
            "/submissions", AccountsConfig.Limits::uploadsPerMinute,
            "/api/submissions", AccountsConfig.Limits::uploadsPerMinute);

    @Inject
    AccountsConfig accounts;

    /** Requests per client address and limited route in the current minute. */
    private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private volatile long minute;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    /** First of all handlers, before the oversized-request check (order -3) and Quarkus' body limit (-2). */
    private static final int ORDER = -4;

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::defend);
        router.route().failureHandler(this::wrongToken);
    }

    void defend(RoutingContext context) {
        if (SAFE.contains(context.request().method())) {
            context.next();
            return;
        }
        if (crossSite(context)) {
            refuse(context, 403, "A request from another site may not change anything here.");
            return;
        }
        String route = RoutePaths.route(context.normalizedPath());
        ToIntFunction<AccountsConfig.Limits> limit = LIMITED.get(route);
        if (limit != null && overLimit(context.request().remoteAddress().hostAddress() + " " + route,
                limit.applyAsInt(accounts.limits()))) {
            context.response().putHeader("Retry-After", "60");
            refuse(context, 429, "Too many requests to " + route + " from your address; try again in a minute.");
            return;
        }
        context.next();
    }

    /**
     * A wrong API token fails authentication before any route runs (Quarkus' proactive authentication): answered
     * here like every other refusal, with a short problem.
     */
    void wrongToken(RoutingContext context) {
        if (!(context.failure() instanceof AuthenticationFailedException) || context.response().ended()) {
            context.next();
            return;
        }
        context.response().putHeader("WWW-Authenticate", "Bearer realm=\"bristle\"");
        refuse(context, 401, "This API token is not valid here; send a valid one, or none to read public pages.",
                false);
    }

    /**
     * Whether a state-changing request names another site: its Origin, or when that is missing, empty or
     * {@code null} (a privacy-sensitive context) its Referer, differs from the site's own origin in scheme, host or
     * port. Neither header: not known as cross-site (the CSRF token and SameSite cookies still hold). Behind a proxy
     * that ends TLS, the site's scheme is the proxy's X-Forwarded-Proto: another site's page cannot set that header
     * on a browser's request.
     */
    private static boolean crossSite(RoutingContext context) {
        String origin = context.request().getHeader("Origin");
        String source = origin == null || origin.isBlank() || origin.trim().equals("null")
                ? context.request().getHeader("Referer") : origin;
        if (source == null || source.isBlank()) return false;
        String forwarded = context.request().getHeader("X-Forwarded-Proto");
        String scheme = forwarded == null || forwarded.isBlank() ? context.request().scheme()
                : forwarded.split(",")[0].trim();
        try {
            URI from = new URI(source.trim());
            URI self = new URI(scheme + "://" + context.request().getHeader("Host"));
            return from.getHost() == null || self.getHost() == null
                    || !scheme.equalsIgnoreCase(from.getScheme()) || !self.getHost().equalsIgnoreCase(from.getHost())
                    || port(self) != port(from);
        } catch (URISyntaxException e) {
            return true;
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) return uri.getPort();
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private boolean overLimit(String key, int limit) {
        long now = System.currentTimeMillis() / 60_000;
        if (now != minute) {
            minute = now;
            counts.clear();
        }
        return counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > limit;
    }

    private void refuse(RoutingContext context, int status, String message) {
        refuse(context, status, message, true);
    }

    /** @param unread whether the request's body is left unread (the connection then closes after the answer) */
    private void refuse(RoutingContext context, int status, String message, boolean unread) {
        boolean api = context.normalizedPath().startsWith("/api");
        String body;
        try {
            body = api ? json.writeValueAsString(new ApiError(status, message))
                    : "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Refused · Bristle</title>"
                    + "<link rel=\"stylesheet\" href=\"/css/bristle.css\"></head><body><main><h1>Refused</h1><p>"
                    + message + "</p><p><a href=\"/\">Back to the leaderboards</a></p></main></body></html>";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // A body left unread (perhaps a large upload) is not read at all: the connection closes after the answer.
        if (unread) context.response().putHeader("Connection", "close");
        context.response().setStatusCode(status)
                .putHeader("Content-Type", api ? "application/json" : "text/html;charset=UTF-8").end(body);
    }
}
