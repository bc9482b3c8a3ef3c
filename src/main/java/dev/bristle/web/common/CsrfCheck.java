package dev.bristle.web.common;

import dev.bristle.accounts.BristleAuthentication;
import io.quarkus.csrf.reactive.runtime.CsrfRequestResponseReactiveFilter;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Set;

/**
 * Quarkus' CSRF check (quarkus-rest-csrf: the token of the {@code csrf-token} cookie must come back in the form's
 * {@code csrf-token} field or the {@code X-CSRF-TOKEN} header) on every state-changing request a browser's session
 * could carry, whatever its content type (it runs after the roles check, so an anonymous request is still told to
 * sign in). A request signed with an API token ({@code Authorization: Bearer}) skips it: a browser never adds that
 * header by itself and another site's page cannot set it without CORS, so no one can forge such a request in a
 * user's name; the CLI and CI post JSON and multipart as before. A refusal says what to do (a page, or a JSON
 * problem under /api) instead of Quarkus' empty 400.
 */
@Singleton
@Alternative
@Priority(1)
public class CsrfCheck extends CsrfRequestResponseReactiveFilter {

    static final String REFUSED = "This form has expired or was not sent from one of this site's pages; nothing was"
            + " changed. Reload the page and send it again.";
    private static final String CHECKED = "bristle.csrf-checked";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    @Override
    public void filter(ResteasyReactiveContainerRequestContext request, RoutingContext routing) {
        if (BristleAuthentication.isBearer(request.getHeaderString("Authorization"))) return;
        request.setProperty(CHECKED, Boolean.TRUE);
        super.filter(request, routing);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response, RoutingContext routing) {
        super.filter(request, response, routing);
        // Every refusal of this app has a body: an empty 400 after the check is the check's.
        if (request.getProperty(CHECKED) != null && !SAFE.contains(request.getMethod())
                && response.getStatus() == 400 && !response.hasEntity()) {
            Response refusal = ErrorMapper.respond(400, REFUSED, List.of(), request.getUriInfo().getPath());
            response.setEntity(refusal.getEntity(), new Annotation[0], refusal.getMediaType());
        }
    }
}
