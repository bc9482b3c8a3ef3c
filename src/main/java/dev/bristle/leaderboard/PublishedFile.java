package dev.bristle.leaderboard;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A published file already loaded, identified by its content. */
@Entity
@Table(name = "published_file")
public class PublishedFile extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;
    public String sha256;
    @Column(name = "loaded_at")
    public Instant loadedAt;

    public static boolean isLoaded(String name, String sha256) {
        return count("name = ?1 and sha256 = ?2", name, sha256) > 0;
    }
}
