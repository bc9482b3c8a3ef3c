package dev.bristle.web.boards;

import dev.bristle.leaderboard.LeaderboardService;
import dev.bristle.web.common.Htmx;
import dev.bristle.web.common.Viewer;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.quarkus.qute.TemplateInstance;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.lang.annotation.Annotation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Board pages (the home page, boards, entries and their JSON twins) carry an ETag made of the boards' revision (raised
 * by every change to an entry, on any instance), this deployment and what else shapes the answer (the viewer, htmx
 * fragments, the format asked for). A repeat reader sending it back gets 304 Not Modified before anything is queried
 * or rendered beyond that one number. Pages rendered for anonymous readers (the same for all of them) are kept by
 * ETag and address, so a new reader gets the page without it being rendered again until the boards change: reading
 * stays cheap while a scoring job uses the cores.
 */
public class BoardCaching {

    private static final String ETAG = "bristle.etag";
    private static final String PAGE_KEY = "bristle.page-key";
    /** Rendered pages kept: the boards, their modes and protocols, entries; bounded whatever addresses are asked. */
    private static final int PAGES_KEPT = 256;
    private static final MediaType HTML = MediaType.valueOf("text/html;charset=UTF-8");

    /** Anonymous readers' rendered pages by ETag and address, least recently used first. */
    private final Map<String, String> pages = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > PAGES_KEPT;
        }
    });
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
        if (viewer.signedIn()) return null;
        String key = etag + " " + request.getUriInfo().getRequestUri().getRawPath() + "?"
                + request.getUriInfo().getRequestUri().getRawQuery();
        String page = pages.get(key);
        if (page != null) {
            return Response.ok(page, HTML).header("ETag", etag).header("Cache-Control", cacheControl())
                    .header("Vary", Htmx.REQUEST_HEADER).build();
        }
        request.setProperty(PAGE_KEY, key);
        return null;
    }

    @ServerResponseFilter
    public void tag(ContainerRequestContext request, ContainerResponseContext response) {
        Object etag = request.getProperty(ETAG);
        if (etag == null || response.getStatus() != 200) return;
        response.getHeaders().putSingle("ETag", etag);
        response.getHeaders().putSingle("Cache-Control", cacheControl());
        if (!(request.getProperty(PAGE_KEY) instanceof String key)) return;
        // Quarkus' Qute filter renders the page into a string, before or after this one.
        if (response.getEntity() instanceof TemplateInstance page) {
            String html = page.render();
            pages.put(key, html);
            response.setEntity(html, new Annotation[0], HTML);
        } else if (response.getEntity() instanceof String html && HTML.isCompatible(response.getMediaType())) {
            pages.put(key, html);
        }
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
