package dev.bristle.web;

import dev.bristle.accounts.Actor;
import dev.bristle.accounts.Role;
import io.quarkus.security.identity.SecurityIdentity;
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
    SecurityIdentity identity;

    public boolean signedIn() {
        return !identity.isAnonymous();
    }

    public String name() {
        return signedIn() ? identity.getPrincipal().getName() : null;
    }

    public boolean submitter() {
        return identity.hasRole(Role.SUBMITTER_NAME);
    }

    public boolean maintainer() {
        return identity.hasRole(Role.MAINTAINER_NAME);
    }

    /** The signed-in account as services take it; only for methods that require a role. */
    public Actor actor() {
        return new Actor(name(), maintainer());
    }
}
