package dev.bristle.files;

import dev.bristle.config.BristleConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Blobs in the database, as rows of at most {@link #CHUNK_BYTES} (V17: {@code blob_file}, {@code blob_chunk}), so any
 * instance that reaches the database reaches every distilled set and trained student, and neither side holds more
 * than a chunk in memory. Chunked rows rather than PostgreSQL's large objects: the same tables work on H2, and
 * deleting a row deletes its content. A blob is written in one transaction, so readers never see part of one. A
 * reader streams it, chunk by chunk, into this instance's cache ({@code $BRISTLE_HOME/blob-cache}) and checks it
 * against the SHA-256 recorded with it; the cached copy serves the next reads while its size and digest still match
 * the row's.
 */
@ApplicationScoped
@Typed(DatabaseBlobStore.class)
public class DatabaseBlobStore implements BlobStore {

    static final int CHUNK_BYTES = 1 << 20;
    /** A 512 MiB set takes seconds to stream; the default transaction timeout (60 s) is sized for requests. */
    private static final int WRITE_TIMEOUT_SECONDS = 3600;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    BristleConfig config;

    private record Stored(long id, long size, String sha256) {
    }

    @Override
    public void moveIn(Area area, String name, Path file) throws IOException {
        try {
            QuarkusTransaction.requiringNew().timeout(WRITE_TIMEOUT_SECONDS).run(() -> {
                try (Connection db = dataSource.getConnection()) {
                    write(db, area, name, file);
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot store " + area + "/" + name + " in the database: "
                            + e.getMessage(), e);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void write(Connection db, Area area, String name, Path file) throws SQLException, IOException {
        try (PreparedStatement delete = db.prepareStatement("delete from blob_file where area = ? and name = ?")) {
            delete.setString(1, area.name());
            delete.setString(2, name);
            delete.executeUpdate();
        }
        long id;
        try (PreparedStatement insert = db.prepareStatement("insert into blob_file (area, name, size_bytes, sha256,"
                + " stored_at) values (?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, area.name());
            insert.setString(2, name);
            insert.setLong(3, Files.size(file));
            insert.setString(4, Digests.sha256(file));
            insert.setTimestamp(5, Timestamp.from(Instant.now()));
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        byte[] buffer = new byte[CHUNK_BYTES];
        try (InputStream in = Files.newInputStream(file);
             PreparedStatement chunk = db.prepareStatement("insert into blob_chunk (blob_id, seq, data)"
                     + " values (?, ?, ?)")) {
            for (int seq = 0; ; seq++) {
                int length = in.readNBytes(buffer, 0, CHUNK_BYTES);
                if (length == 0 && seq > 0) break;
                chunk.setLong(1, id);
                chunk.setInt(2, seq);
                chunk.setBytes(3, length == CHUNK_BYTES ? buffer : Arrays.copyOf(buffer, length));
                chunk.executeUpdate();
                if (length < CHUNK_BYTES) break;
            }
        }
    }

    @Override
    public boolean exists(Area area, String name) {
        return stored(area, name).isPresent();
    }

    @Override
    public Path local(Area area, String name) throws IOException {
        Stored stored = stored(area, name).orElseThrow(() -> new NoSuchFileException(area + "/" + name
                + " (not in the database's blob store)"));
        Path cached = cacheDir().resolve(area.name().toLowerCase(Locale.ROOT)).resolve(name).normalize();
        if (!cached.startsWith(cacheDir())) throw new IllegalArgumentException("blob name outside its area: " + name);
        if (Files.isRegularFile(cached) && Files.size(cached) == stored.size()
                && Digests.sha256(cached).equals(stored.sha256())) {
            return cached;
        }
        Files.createDirectories(cached.getParent());
        Path temp = Files.createTempFile(cached.getParent(), "blob-", ".part");
        try {
            MessageDigest digest = sha256();
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), digest)) {
                readChunks(stored, out);
            }
            String sha256 = HexFormat.of().formatHex(digest.digest());
            if (!sha256.equals(stored.sha256())) {
                throw new IOException(area + "/" + name + " read from the database has SHA-256 " + sha256
                        + ", stored as " + stored.sha256());
            }
            Files.move(temp, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return cached;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** One chunk per query: a result set of all of them would be fetched whole by PostgreSQL's driver. */
    private void readChunks(Stored stored, OutputStream out) throws IOException {
        try (Connection db = dataSource.getConnection();
             PreparedStatement query = db.prepareStatement("select data from blob_chunk where blob_id = ?"
                     + " and seq = ?")) {
            long written = 0;
            for (int seq = 0; written < stored.size() || seq == 0; seq++) {
                query.setLong(1, stored.id());
                query.setInt(2, seq);
                try (ResultSet row = query.executeQuery()) {
                    if (!row.next()) throw new IOException("blob #" + stored.id() + " lacks chunk " + seq);
                    try (InputStream data = row.getBinaryStream(1)) {
                        written += data.transferTo(out);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IOException("cannot read blob #" + stored.id() + " from the database: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(Area area, String name) throws IOException {
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection db = dataSource.getConnection();
                 PreparedStatement delete = db.prepareStatement("delete from blob_file where area = ? and name = ?")) {
                delete.setString(1, area.name());
                delete.setString(2, name);
                delete.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot delete " + area + "/" + name + ": " + e.getMessage(), e);
            }
        });
        Files.deleteIfExists(cacheDir().resolve(area.name().toLowerCase(Locale.ROOT)).resolve(name));
    }

    @Override
    public String describe() {
        return "the database";
    }

    private Optional<Stored> stored(Area area, String name) {
        try (Connection db = dataSource.getConnection();
             PreparedStatement query = db.prepareStatement("select id, size_bytes, sha256 from blob_file"
                     + " where area = ? and name = ?")) {
            query.setString(1, area.name());
            query.setString(2, name);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(new Stored(row.getLong(1), row.getLong(2), row.getString(3)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look up " + area + "/" + name + ": " + e.getMessage(), e);
        }
    }

    private Path cacheDir() {
        return config.home().resolve("blob-cache").toAbsolutePath().normalize();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
