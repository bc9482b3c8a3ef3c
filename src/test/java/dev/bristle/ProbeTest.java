package dev.bristle;

import io.quarkus.test.junit.QuarkusTest;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.*;

@QuarkusTest
@Tag("database")
class ProbeTest {
    @Inject AgroalDataSource ds;
    @Test
    void db() throws Exception {
        try (var c = ds.getConnection()) {
            System.out.println("DBURL " + c.getMetaData().getURL());
        }
    }
}
