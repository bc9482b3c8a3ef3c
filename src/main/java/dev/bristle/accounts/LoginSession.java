package dev.bristle.accounts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Optional;

/** A browser's signed-in session: the cookie's SHA-256 and when it expires (sign-out deletes it). */
@Entity
@Table(name = "login_session")
public class LoginSession extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "account_id")
    public long accountId;
    @Column(name = "token_sha256")
    public String tokenSha256;
    @Column(name = "expires_at")
    public Instant expiresAt;

    public static Optional<LoginSession> findLive(String sha256, Instant now) {
        return find("tokenSha256 = ?1 and expiresAt > ?2", sha256, now).firstResultOptional();
    }

    public static long deleteBySha256(String sha256) {
        return delete("tokenSha256", sha256);
    }

    public static long deleteExpired(Instant now) {
        return delete("expiresAt <= ?1", now);
    }
}
