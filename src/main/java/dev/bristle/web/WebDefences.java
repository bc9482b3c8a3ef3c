package dev.bristle.web;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The web's defences on every answer and every state-changing request, before any resource runs:
 * <ul>
 *   <li>security headers: a Content-Security-Policy without inline scripts (scripts come from /js and htmx from
 *       /_static), {@code frame-ancestors 'none'}, X-Content-Type-Options, Referrer-Policy;</li>
 *   <li>a cross-site request (an {@code Origin} or {@code Referer} of another site) may not change anything: 403,
 *       besides the session cookie's SameSite=Strict, which keeps a cross-site form post anonymous anyway;</li>
 *   <li>a rate limit per client address on sign-in and uploads (429 with Retry-After).</li>
 * </ul>
 */
@ApplicationScoped
public class WebDefences {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    @Inject
    dev.bristle.accounts.AccountsConfig accounts;

    /** Requests per client address and limited route in the current minute. */
    private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private volatile long minute;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    /** First of all handlers, before the oversized-request check (order -3) and Quarkus' body limit (-2). */
    private static final int ORDER = -4;

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::defend);
    }

    void defend(RoutingContext context) {
        String path = context.normalizedPath();
        var headers = context.response().headers();
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "same-origin");
        headers.set("X-Frame-Options", "DENY");
        // The API explorer under /q is Quarkus' own page, with inline scripts.
        if (!path.startsWith("/q/")) headers.set("Content-Security-Policy", CSP);
        if (SAFE.contains(context.request().method())) {
            context.next();
            return;
        }
        if (crossSite(context)) {
            refuse(context, 403, "A request from another site may not change anything here.");
            return;
        }
        int limit = path.equals("/login") ? accounts.limits().signInsPerMinute()
                : path.equals("/api/datasets") || path.equals("/datasets") ? accounts.limits().uploadsPerMinute() : 0;
        if (limit > 0 && overLimit(context.request().remoteAddress().hostAddress() + " " + path, limit)) {
            context.response().putHeader("Retry-After", "60");
            refuse(context, 429, "Too many requests to " + path + " from your address; try again in a minute.");
            return;
        }
        context.next();
    }

    /** An Origin (or, without one, a Referer) naming another host or port than the one the request was sent to. */
    private static boolean crossSite(RoutingContext context) {
        String origin = context.request().getHeader("Origin");
        if (origin == null) origin = context.request().getHeader("Referer");
        if (origin == null || origin.isBlank()) return false;
        String host = context.request().getHeader("Host");
        try {
            URI uri = URI.create(origin.trim());
            String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return host == null || uri.getHost() == null || !authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return true;
        }
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
        // The body (perhaps a large upload) is not read: the connection closes after the answer.
        context.response().setStatusCode(status).putHeader("Connection", "close")
                .putHeader("Content-Type", api ? "application/json" : "text/html;charset=UTF-8").end(body);
    }
}
