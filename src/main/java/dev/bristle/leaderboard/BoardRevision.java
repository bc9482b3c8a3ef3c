package dev.bristle.leaderboard;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The leaderboards' revision: raised in the transaction of every change to the entries (a publication, a review,
 * the published results' load), read by the board pages' ETags.
 */
@Entity
@Table(name = "board_revision")
public class BoardRevision extends PanacheEntityBase {

    private static final int ROW = 1;

    @Id
    public Integer id;
    public long revision;

    /** Raises the revision; call it inside the transaction that changes entries. */
    public static void raise() {
        update("revision = revision + 1 where id = ?1", ROW);
    }

    public static long current() {
        BoardRevision row = findById(ROW);
        return row == null ? 0 : row.revision;
    }
}
