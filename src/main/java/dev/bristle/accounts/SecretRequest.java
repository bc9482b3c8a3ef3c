package dev.bristle.accounts;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer token or a session cookie to turn into an identity. */
public class SecretRequest extends BaseAuthenticationRequest {

    public enum Kind { TOKEN, SESSION }

    private final Kind kind;
    private final String secret;

    public SecretRequest(Kind kind, String secret) {
        this.kind = kind;
        this.secret = secret;
    }

    public Kind kind() {
        return kind;
    }

    public String secret() {
        return secret;
    }
}
