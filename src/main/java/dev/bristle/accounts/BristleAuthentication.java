package dev.bristle.accounts;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * How a request says who sends it: {@code Authorization: Bearer <token>} (the CLI, CI, scripts) or the session cookie
 * a browser got at sign-in. A wrong token is refused (401); an expired session cookie just makes the request
 * anonymous, so public pages still show.
 */
@ApplicationScoped
public class BristleAuthentication implements HttpAuthenticationMechanism {

    public static final String SESSION_COOKIE = "bristle-session";
    private static final String BEARER = "Bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader("Authorization");
        if (isBearer(header)) {
            return identities.authenticate(new SecretRequest(SecretRequest.Kind.TOKEN,
                    header.substring(BEARER.length()).trim()));
        }
        Cookie session = context.request().getCookie(SESSION_COOKIE);
        if (session != null && !session.getValue().isBlank()) {
            return identities.authenticate(new SecretRequest(SecretRequest.Kind.SESSION, session.getValue()))
                    .onFailure(AuthenticationFailedException.class).recoverWithNull();
        }
        return Uni.createFrom().nullItem();
    }

    /** Whether an Authorization header carries an API token. */
    public static boolean isBearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"bristle\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(SecretRequest.class);
    }
}
