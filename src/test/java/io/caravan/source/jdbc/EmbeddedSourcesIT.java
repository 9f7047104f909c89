package io.caravan.source.jdbc;

import io.caravan.it.PipelineHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** SQLite and H2 (embedded, in files) to PostgreSQL through {@code caravan run}: syncing, mirroring, casts. */
class EmbeddedSourcesIT {

    @TempDir
    Path dir;

    void exec(String url, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    Path mapping(PipelineHarness h, String type, String url, String mode, String extra) throws IOException {
        Path file = dir.resolve("shop.yaml");
        Files.writeString(file, "source:\n  source_type: " + type + "\n  url: \"" + url + "\"\n  db_name: shop\n"
                + "destination:\n" + h.destinationYaml("warehouse", 0, "dw") + "tables:\n  - table_name: orders\n"
                + "    cron: self-managed\n    mode: " + mode + "\n    batch_size: 2\n    bookmark: updated_at\n"
                + "    primary_key: id\n    primary_key_datatype: int\n" + extra);
        return file;
    }

    @Test
    void sqliteSyncsByBookmarkWithItsDeclaredTypes() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("shop.db");
        exec(url, "CREATE TABLE orders (id INTEGER PRIMARY KEY, status TEXT NOT NULL, amount DECIMAL(12,2),"
                        + " paid BOOLEAN, photo BLOB, due DATE, updated_at DATETIME NOT NULL)",
                "INSERT INTO orders VALUES (1, 'new', '1.50', 1, x'cafe', '2024-02-29', '2024-05-01 10:00:00.000000'),"
                        + " (2, 'new', '2.25', 0, NULL, NULL, '2024-05-01 10:00:01.000000'),"
                        + " (3, 'new', NULL, NULL, NULL, NULL, '2024-05-01 10:00:02.000000'),"
                        + " (4, 'new', '4.00', 1, NULL, NULL, '2024-05-01 10:00:02.000000'),"
                        + " (5, 'new', '5.00', 0, NULL, NULL, '2024-05-01 10:00:03.500000')");
        PipelineHarness h = new PipelineHarness(dir, 1);
        Path job = mapping(h, "sqlite", url, "syncing", "    casts: {amount: \"numeric(12,2)\"}\n");
        h.runOk(job);
        assertThat(h.columnTypes(h.destinationDb(0), "dw.orders", false)).containsExactly("id bigint",
                "status text", "amount numeric(12,2)", "paid boolean", "photo bytea", "due date",
                "updated_at timestamp without time zone");
        assertThat(h.rows(h.destinationDb(0), "SELECT * FROM dw.orders ORDER BY id")).containsExactly(
                "1|new|1.50|t|\\xcafe|2024-02-29|2024-05-01 10:00:00",
                "2|new|2.25|f|∅|∅|2024-05-01 10:00:01",
                "3|new|∅|∅|∅|∅|2024-05-01 10:00:02",
                "4|new|4.00|t|∅|∅|2024-05-01 10:00:02",
                "5|new|5.00|f|∅|∅|2024-05-01 10:00:03.5");
        String now = "strftime('%Y-%m-%d %H:%M:%f', 'now') || '000'";
        exec(url, "UPDATE orders SET status = 'paid', updated_at = " + now + " WHERE id = 2",
                "INSERT INTO orders VALUES (6, 'new', '6.00', 1, NULL, NULL, " + now + ")");
        h.runOk(job);
        assertThat(h.rows(h.destinationDb(0), "SELECT id, status, amount FROM dw.orders ORDER BY id")).containsExactly(
                "1|new|1.50", "2|paid|2.25", "3|new|∅", "4|new|4.00", "5|new|5.00", "6|new|6.00");
    }

    @Test
    void h2MirrorsUpperCaseTablesIntoLowerCaseColumns() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("shop");
        exec(url, "CREATE TABLE ORDERS (ID BIGINT PRIMARY KEY, STATUS VARCHAR(10) NOT NULL, AMOUNT NUMERIC(12,2),"
                        + " UID UUID, UPDATED_AT TIMESTAMP(6) NOT NULL)",
                "INSERT INTO ORDERS SELECT X, 'new', X * 1.5, RANDOM_UUID(), LOCALTIMESTAMP - INTERVAL '1' DAY"
                        + " + X * INTERVAL '1' SECOND FROM SYSTEM_RANGE(1, 25)");
        PipelineHarness h = new PipelineHarness(dir, 1);
        // three connections read the initial phase's key ranges (batch_size 2: ranges of two keys)
        Path job = mapping(h, "h2", url, "mirroring", "    read_connections: 3\n");
        h.runOk(job);
        assertThat(h.columnTypes(h.destinationDb(0), "dw.orders", true)).containsExactly("id bigint NOT NULL",
                "status character varying(10) NOT NULL", "amount numeric(12,2)", "uid uuid",
                "updated_at timestamp without time zone NOT NULL");
        exec(url, "DELETE FROM ORDERS WHERE ID IN (3, 20)",
                "UPDATE ORDERS SET STATUS = 'paid', UPDATED_AT = LOCALTIMESTAMP WHERE ID = 7");
        h.runOk(job);
        assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM dw.orders")).isEqualTo(23);
        assertThat(h.rows(h.destinationDb(0), "SELECT id FROM dw.orders WHERE status = 'paid'")).containsExactly("7");
        assertThat(h.rows(h.destinationDb(0), "SELECT sum(amount) FROM dw.orders")).containsExactly("453.00");
    }
}
