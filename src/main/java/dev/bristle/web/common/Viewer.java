package dev.bristle.web.common;

import dev.bristle.accounts.Actor;
import dev.bristle.accounts.Role;
import io.quarkus.csrf.reactive.runtime.CsrfTokenParameterProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Who is looking, for resources ({@link #actor()}) and templates ({@code inject:viewer}): links to what the viewer
 * may do are shown or not here, the resource methods enforce it.
 */
@RequestScoped
@Named("viewer")
public class Viewer {

    @Inject
    CurrentVertxRequest request;

    @Inject
    CsrfTokenParameterProvider csrf;

    /**
     * The identity the authentication step attached to the request, read without blocking (pages are also rendered
     * on the event loop, before Quarkus REST, for refusals of oversized requests); null when anonymous.
     */
    private SecurityIdentity identity() {
        var context = request.getCurrent();
        return context != null && context.user() instanceof QuarkusHttpUser user ? user.getSecurityIdentity() : null;
    }

    public boolean signedIn() {
        return identity() != null && !identity().isAnonymous();
    }

    public String name() {
        return signedIn() ? identity().getPrincipal().getName() : null;
    }

    public boolean submitter() {
        return signedIn() && identity().hasRole(Role.SUBMITTER_NAME);
    }

    public boolean maintainer() {
        return signedIn() && identity().hasRole(Role.MAINTAINER_NAME);
    }

    /** The signed-in account as services take it; only for methods that require a role. */
    public Actor actor() {
        return new Actor(name(), maintainer());
    }

    /**
     * The CSRF token this page's forms send back ({@code {#csrf /}}); null where the check did not run (a request
     * signed with an API token, a page rendered before Quarkus REST), and a form then goes without.
     */
    public String csrfToken() {
        if (request.getCurrent() == null) return null;
        try {
            return csrf.getToken();
        } catch (IllegalStateException noToken) {
            return null;
        }
    }
}
