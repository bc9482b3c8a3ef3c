package dev.bristle.accounts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A local account: a user name, a password hash (null for a token-only account) and a role. */
@Entity
@Table(name = "account")
public class Account extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String username;
    /** {@link Passwords} format; null: the account signs in with API tokens only. */
    @Column(name = "password_hash")
    public String passwordHash;
    @Convert(converter = RoleConverter.class)
    public Role role;
    @Column(name = "created_at")
    public Instant createdAt;

    public static Optional<Account> findByUsername(String username) {
        return find("username", username).firstResultOptional();
    }

    /**
     * Locks the account's row until the calling transaction ends, so one account's quota checks run one at a time:
     * each counts what the one before it inserted (SELECT ... FOR UPDATE, on H2 and PostgreSQL alike).
     */
    public static void lockForQuota(String username) {
        find("username", username).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    public static List<Account> listOrdered() {
        return list("order by username");
    }
}
