package dev.bristle.web;

import dev.bristle.leaderboard.LeaderboardService;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.Objects;

/**
 * Board pages (the home page, boards, entries and their JSON twins) carry an ETag made of the boards' revision (raised
 * by every change to an entry, on any instance), this deployment and what else shapes the answer (the viewer, htmx
 * fragments, the format asked for). A repeat reader sending it back gets 304 Not Modified before anything is queried
 * or rendered beyond that one number.
 */
public class BoardCaching {

    private static final String ETAG = "bristle.etag";
    /** A new deployment may render the same data differently. */
    private static final String DEPLOYMENT = Long.toHexString(System.currentTimeMillis());

    @Inject
    LeaderboardService leaderboards;

    @Inject
    Viewer viewer;

    @ConfigProperty(name = "quarkus.rest-csrf.cookie-name", defaultValue = "csrf-token")
    String csrfCookieName;

    @ServerRequestFilter
    public Response notModified(ContainerRequestContext request) {
        if (!request.getMethod().equals("GET") || !isBoardPage(request.getUriInfo().getPath())
                || io.vertx.core.Context.isOnEventLoopThread()) {
            return null;
        }
        // A signed-in viewer's page carries the CSRF token of their cookie (the sign-out form): a new cookie, a new page.
        var csrfCookie = request.getCookies().get(csrfCookieName);
        String variant = Objects.hash(viewer.name(), csrfCookie == null || !viewer.signedIn() ? null : csrfCookie.getValue(),
                request.getHeaderString(Htmx.REQUEST_HEADER),
                request.getHeaderString(Htmx.HISTORY_RESTORE_HEADER), request.getHeaderString("Accept")) + "";
        String etag = "\"b" + leaderboards.revision() + "-" + DEPLOYMENT + "-" + variant + "\"";
        request.setProperty(ETAG, etag);
        String ifNoneMatch = request.getHeaderString("If-None-Match");
        if (ifNoneMatch != null && ifNoneMatch.contains(etag)) {
            return Response.notModified().header("ETag", etag).header("Cache-Control", cacheControl()).build();
        }
        return null;
    }

    @ServerResponseFilter
    public void tag(ContainerRequestContext request, ContainerResponseContext response) {
        Object etag = request.getProperty(ETAG);
        if (etag == null || response.getStatus() != 200) return;
        response.getHeaders().putSingle("ETag", etag);
        response.getHeaders().putSingle("Cache-Control", cacheControl());
    }

    /** Revalidate every time; a signed-in viewer's pages (their name in the header) stay in their browser. */
    private String cacheControl() {
        return viewer.signedIn() ? "private, no-cache" : "no-cache";
    }

    static boolean isBoardPage(String path) {
        return path.equals("/") || path.startsWith("/boards/") || path.startsWith("/api/boards")
                || path.startsWith("/entries/") || path.startsWith("/api/entries/");
    }
}
