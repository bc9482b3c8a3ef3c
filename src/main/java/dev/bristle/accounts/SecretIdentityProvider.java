package dev.bristle.accounts;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Looks a token or a session up in the database (off the event loop) and gives its account's identity. */
@ApplicationScoped
public class SecretIdentityProvider implements IdentityProvider<SecretRequest> {

    @Inject
    AccountService accounts;

    @Override
    public Class<SecretRequest> getRequestType() {
        return SecretRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(SecretRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            var actor = request.kind() == SecretRequest.Kind.TOKEN ? accounts.byToken(request.secret())
                    : accounts.bySession(request.secret());
            Actor found = actor.orElseThrow(() -> new AuthenticationFailedException(
                    request.kind() == SecretRequest.Kind.TOKEN ? "unknown API token" : "expired session"));
            return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(found.name()))
                    .addRoles((found.maintainer() ? Role.MAINTAINER : Role.SUBMITTER).grantedNames()).build();
        });
    }
}
