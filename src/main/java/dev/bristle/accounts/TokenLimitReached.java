package dev.bristle.accounts;

/** An account holds as many API tokens as it may ({@link AccountsConfig#maxTokens()}): a new one is refused (409). */
public class TokenLimitReached extends RuntimeException {

    public TokenLimitReached(String message) {
        super(message);
    }
}
