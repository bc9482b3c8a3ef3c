package dev.bristle.accounts;

import dev.bristle.input.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Local accounts, their API tokens and browser sessions. Secrets are random, shown once, and stored only as SHA-256
 * digests; passwords as PBKDF2 hashes ({@link Passwords}).
 */
@ApplicationScoped
public class AccountService {

    static final String USERNAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{1,63}";

    @Inject
    AccountsConfig config;

    @Inject
    AuditService audit;

    /** An account as pages and the API show it (never its hash or its tokens' digests). */
    public record AccountView(long id, String username, String role, boolean hasPassword, List<String> tokens,
                              Instant createdAt) {
    }

    /** A token as its owner sees it: never the secret, which was shown once. */
    public record TokenView(long id, String name, Instant createdAt) {
    }

    /** A token just created: {@code token} is shown this once. */
    public record NewToken(String username, String name, String token) {
    }

    /** The account a bearer token belongs to: the admin token, then the stored tokens. */
    @Transactional
    public Optional<Actor> byToken(String token) {
        Optional<String> admin = config.adminToken().filter(t -> !t.isBlank());
        if (admin.isPresent() && MessageDigest.isEqual(admin.get().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(new Actor(Actor.ADMIN, true));
        }
        return ApiToken.findBySha256(Passwords.sha256(token))
                .flatMap(t -> Account.<Account>findByIdOptional(t.accountId)).map(AccountService::actor);
    }

    /** The account a live session cookie belongs to. */
    @Transactional
    public Optional<Actor> bySession(String secret) {
        return LoginSession.findLive(Passwords.sha256(secret), Instant.now())
                .flatMap(s -> Account.<Account>findByIdOptional(s.accountId)).map(AccountService::actor);
    }

    /** Checks a password and opens a session; the secret goes into the browser's cookie. */
    @Transactional
    public Optional<String> signIn(String username, String password) {
        Optional<Account> account = username == null ? Optional.empty() : Account.findByUsername(username.trim());
        if (account.isEmpty() || !Passwords.matches(password, account.get().passwordHash)) return Optional.empty();
        LoginSession.deleteExpired(Instant.now());
        String secret = Passwords.newSecret();
        LoginSession session = new LoginSession();
        session.accountId = account.get().id;
        session.tokenSha256 = Passwords.sha256(secret);
        session.expiresAt = Instant.now().plus(Duration.ofHours(config.sessionHours()));
        session.persist();
        audit.record(account.get().username, "sign-in", "account", account.get().id, null);
        return Optional.of(secret);
    }

    @Transactional
    public void signOut(String secret) {
        LoginSession.deleteBySha256(Passwords.sha256(secret));
    }

    /**
     * Creates an account. Throws InvalidInputException with a user-facing message when the name is taken or not
     * a valid name, or the password is too short.
     */
    @Transactional
    public AccountView create(String username, String password, Role role, String actor) {
        if (username == null || !username.matches(USERNAME_PATTERN)) {
            throw new InvalidInputException("username must be 2 to 64 letters, digits, '.', '_' or '-'");
        }
        if (username.equals(Actor.ADMIN)) throw new InvalidInputException("username 'admin' is reserved");
        if (password != null && password.length() < 10) {
            throw new InvalidInputException("password must have at least 10 characters");
        }
        if (Account.findByUsername(username).isPresent()) {
            throw new InvalidInputException("username '" + username + "' is taken");
        }
        Account account = new Account();
        account.username = username;
        account.passwordHash = password == null ? null : Passwords.hash(password);
        account.role = role;
        account.createdAt = Instant.now();
        account.persist();
        audit.record(actor, "create-account", "account", account.id, username + " (" + role.key() + ")");
        return view(account);
    }

    /**
     * A new API token for the account {@code username}; throws InvalidInputException when there is none, and
     * {@link TokenLimitReached} when it holds {@link AccountsConfig#maxTokens()} already. The count is taken under
     * a lock on the account's row, so requests at once cannot pass the limit together.
     */
    @Transactional
    public NewToken createToken(String username, String name, String actor) {
        Account found = Account.findByUsername(username).orElseThrow(() ->
                new InvalidInputException("there is no account '" + username + "'"));
        Account account = Account.findById(found.id, LockModeType.PESSIMISTIC_WRITE);
        long held = ApiToken.count("accountId", account.id);
        if (held >= config.maxTokens()) {
            throw new TokenLimitReached("account '" + account.username + "' holds " + held + " API tokens, the most"
                    + " an account may hold; no token was created (revoke one first: DELETE /api/users/me/tokens/{id})");
        }
        String secret = Passwords.newSecret();
        ApiToken token = new ApiToken();
        token.accountId = account.id;
        token.name = name == null || name.isBlank() ? "token" : name.trim();
        token.tokenSha256 = Passwords.sha256(secret);
        token.createdAt = Instant.now();
        token.persist();
        audit.record(actor, "create-token", "account", account.id, account.username + ": " + token.name);
        return new NewToken(account.username, token.name, secret);
    }

    /** The API tokens of the account {@code username}, oldest first. */
    @Transactional
    public List<TokenView> tokens(String username) {
        return Account.findByUsername(username).map(a -> ApiToken.ofAccount(a.id)).orElse(List.of()).stream()
                .map(t -> new TokenView(t.id, t.name, t.createdAt)).toList();
    }

    /**
     * Revokes the token {@code tokenId} of the account {@code username}: a token stops working at once, and frees
     * its place under {@link AccountsConfig#maxTokens()}. False when the account holds no such token.
     */
    @Transactional
    public boolean revokeToken(String username, long tokenId, String actor) {
        Optional<Account> account = Account.findByUsername(username);
        Optional<ApiToken> token = account.flatMap(a -> ApiToken.<ApiToken>findByIdOptional(tokenId)
                .filter(t -> t.accountId == a.id));
        if (token.isEmpty()) return false;
        token.get().delete();
        audit.record(actor, "revoke-token", "account", account.get().id, username + ": " + token.get().name);
        return true;
    }

    @Transactional
    public Optional<AccountView> find(long id) {
        return Account.<Account>findByIdOptional(id).map(AccountService::view);
    }

    @Transactional
    public List<AccountView> list() {
        return Account.listOrdered().stream().map(AccountService::view).toList();
    }

    private static AccountView view(Account account) {
        return new AccountView(account.id, account.username, account.role.key(), account.passwordHash != null,
                ApiToken.ofAccount(account.id).stream().map(t -> t.name).toList(), account.createdAt);
    }

    private static Actor actor(Account account) {
        return new Actor(account.username, account.role == Role.MAINTAINER);
    }
}
