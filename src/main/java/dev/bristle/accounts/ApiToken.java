package dev.bristle.accounts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A personal API token of an account; only its SHA-256 is kept, the token itself is shown once. */
@Entity
@Table(name = "api_token")
public class ApiToken extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "account_id")
    public long accountId;
    public String name;
    @Column(name = "token_sha256")
    public String tokenSha256;
    @Column(name = "created_at")
    public Instant createdAt;

    public static Optional<ApiToken> findBySha256(String sha256) {
        return find("tokenSha256", sha256).firstResultOptional();
    }

    public static List<ApiToken> ofAccount(long accountId) {
        return list("accountId = ?1 order by id", accountId);
    }
}
