package dev.bristle.files;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both blob stores on the real database and file system: what is stored comes back byte for byte, is replaced and
 * deleted; the database store keeps it in chunks of 1 MiB and checks what it reads against the recorded SHA-256.
 */
@QuarkusTest
@Tag("database")
class BlobStoreTest {

    @Inject
    FileBlobStore files;

    @Inject
    DatabaseBlobStore database;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void bothStoresKeepContentByteForByte(@TempDir Path directory) throws Exception {
        // Two and a half chunks, one exact chunk, and nothing at all.
        for (int size : List.of(DatabaseBlobStore.CHUNK_BYTES * 5 / 2, DatabaseBlobStore.CHUNK_BYTES, 0)) {
            for (BlobStore store : List.of(files, database)) {
                String name = "test-" + size + "/blob.bin";
                byte[] content = randomBytes(size, size);
                store.moveIn(BlobStore.Area.STUDENTS, name, write(directory, content));
                assertTrue(store.exists(BlobStore.Area.STUDENTS, name), store.describe());
                assertFalse(store.exists(BlobStore.Area.DATASETS, name), "areas are apart");
                assertArrayEquals(content, Files.readAllBytes(store.local(BlobStore.Area.STUDENTS, name)),
                        store.describe() + ", " + size + " bytes");
                byte[] replaced = randomBytes(size + 7, size + 1);
                store.moveIn(BlobStore.Area.STUDENTS, name, write(directory, replaced));
                assertArrayEquals(replaced, Files.readAllBytes(store.local(BlobStore.Area.STUDENTS, name)),
                        store.describe() + ": the new content, not the cached old one");
                store.delete(BlobStore.Area.STUDENTS, name);
                assertFalse(store.exists(BlobStore.Area.STUDENTS, name));
                assertThrows(NoSuchFileException.class, () -> store.local(BlobStore.Area.STUDENTS, name));
            }
        }
        try (var left = Files.list(directory)) {
            assertEquals(0, left.count(), "the stores consumed the files moved in");
        }
    }

    @Test
    void theDatabaseStoreKeepsChunksOfOneMebibyteAndRefusesAlteredContent(@TempDir Path directory) throws Exception {
        String name = "ab/chunked.pt";
        byte[] content = randomBytes(DatabaseBlobStore.CHUNK_BYTES * 2 + 100, 3);
        database.moveIn(BlobStore.Area.DATASETS, name, write(directory, content));
        assertEquals(List.of(DatabaseBlobStore.CHUNK_BYTES, DatabaseBlobStore.CHUNK_BYTES, 100), chunkSizes(name));

        Path cached = database.local(BlobStore.Area.DATASETS, name);
        assertArrayEquals(content, Files.readAllBytes(cached));
        // A cached copy that no longer matches the recorded digest is fetched again.
        Files.write(cached, new byte[] {1, 2, 3});
        assertArrayEquals(content, Files.readAllBytes(database.local(BlobStore.Area.DATASETS, name)));

        // A chunk altered in the database is caught by the digest recorded when the blob was stored.
        alterFirstByte(name);
        Files.delete(cached);
        IOException altered = assertThrows(IOException.class, () -> database.local(BlobStore.Area.DATASETS, name));
        assertTrue(altered.getMessage().contains("SHA-256"), altered.getMessage());
        assertFalse(Files.exists(cached), "nothing is left in the cache");
        database.delete(BlobStore.Area.DATASETS, name);
        assertEquals(List.of(), chunkSizes(name), "deleting the blob deleted its chunks");
    }

    private List<Integer> chunkSizes(String name) throws Exception {
        try (Connection db = dataSource.getConnection();
             PreparedStatement query = db.prepareStatement("select c.data from blob_chunk c join blob_file f"
                     + " on f.id = c.blob_id where f.name = ? order by c.seq")) {
            query.setString(1, name);
            List<Integer> sizes = new java.util.ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) sizes.add(rows.getBytes(1).length);
            }
            return sizes;
        }
    }

    private void alterFirstByte(String name) throws Exception {
        try (Connection db = dataSource.getConnection();
             PreparedStatement read = db.prepareStatement("select c.blob_id, c.data from blob_chunk c join blob_file f"
                     + " on f.id = c.blob_id where f.name = ? and c.seq = 0");
             PreparedStatement write = db.prepareStatement("update blob_chunk set data = ? where blob_id = ?"
                     + " and seq = 0")) {
            read.setString(1, name);
            try (ResultSet row = read.executeQuery()) {
                assertTrue(row.next());
                byte[] data = row.getBytes(2);
                data[0] ^= 1;
                write.setBytes(1, data);
                write.setLong(2, row.getLong(1));
            }
            assertNotEquals(0, write.executeUpdate());
        }
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static Path write(Path directory, byte[] content) throws IOException {
        return Files.write(Files.createTempFile(directory, "blob-", ".bin"), content);
    }
}
