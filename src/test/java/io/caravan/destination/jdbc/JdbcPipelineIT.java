package io.caravan.destination.jdbc;

import io.caravan.it.PipelineHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code caravan run} of a mapping whose job writes to PostgreSQL, MariaDB (the test server, see
 * {@link MariaDbDestinationIT}) and SQLite at once, with the mapping keys users write
 * ({@code destination_type: mariadb}, url, db_name, username, schema; {@code destination_type: sqlite}, url).
 */
class JdbcPipelineIT {

    @TempDir
    Path dir;
    private final String database = "caravan_" + Long.toHexString(ThreadLocalRandom.current().nextLong()
            & Long.MAX_VALUE);

    @AfterEach
    void dropDatabase() throws SQLException {
        try (Connection c = mariadb(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS `" + database + "`");
        }
    }

    private static Connection mariadb() throws SQLException {
        return DriverManager.getConnection(MariaDbDestinationIT.URL, new Properties());
    }

    private String destinations(PipelineHarness h) {
        return "destination:\n" + h.destinationYaml("warehouse", 0, "dw")
                + "  mart:\n    destination_type: mariadb\n    url: 127.0.0.1:3306\n    db_name: test\n"
                + "    username: root\n    schema: " + database + "\n"
                + "  local:\n    destination_type: sqlite\n    url: " + dir.resolve("local.sqlite") + "\n";
    }

    @Test
    void oneJobWritesPostgresMariaDbAndSqliteAlike() throws SQLException {
        PipelineHarness h = PipelineHarness.orders(dir, "mirroring", "    bookmark: updated_at\n");
        Path mapping = h.mappingWith("shop", destinations(h), "  - table_name: orders\n    cron: self-managed\n"
                + "    mode: mirroring\n    batch_size: 40\n    bookmark: updated_at\n    primary_key: id\n"
                + "    primary_key_datatype: int\n");
        String summary = h.runOk(mapping).out();
        for (String d : List.of("warehouse", "mart", "local")) {
            assertThat(summary).containsPattern("shop\\s+orders\\s+" + d + "\\s+succeeded\\s+250\\s+250\\s+0\\s");
        }
        assertAllEqualSource(h);

        h.source("DELETE FROM orders WHERE id <= 20", "UPDATE orders SET status = 'paid', updated_at = now()"
                + " WHERE id = 100", "INSERT INTO orders VALUES (251, 'new', 2.5, now())");
        summary = h.runOk(mapping).out();
        for (String d : List.of("warehouse", "mart", "local")) {
            assertThat(summary).containsPattern("shop\\s+orders\\s+" + d + "\\s+succeeded\\s+2\\s+2\\s+20\\s");
        }
        assertAllEqualSource(h);
    }

    private void assertAllEqualSource(PipelineHarness h) throws SQLException {
        List<PgType> types = JdbcDestinationContract.ORDER_TYPES;
        String select = "SELECT id, status, amount, updated_at FROM ";
        List<String> source;
        try (Connection c = io.caravan.testing.PgServer.get().connect(h.sourceDb())) {
            source = Canon.rows(c, select + "orders ORDER BY id", types, "postgresql");
        }
        try (Connection c = io.caravan.testing.PgServer.get().connect(h.destinationDb(0))) {
            assertThat(Canon.rows(c, select + "dw.orders ORDER BY id", types, "postgresql")).isEqualTo(source);
        }
        try (Connection c = mariadb()) {
            assertThat(Canon.rows(c, select + "`" + database + "`.orders ORDER BY id", types, "mariadb"))
                    .isEqualTo(source);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("local.sqlite"))) {
            assertThat(Canon.rows(c, select + "orders ORDER BY id", types, "sqlite")).isEqualTo(source);
        }
    }

    @Test
    void tablesOfAJobWriteSqliteAndH2FilesAtOnceThroughProcessDict() throws SQLException {
        PipelineHarness h = PipelineHarness.orders(dir, "syncing", "");
        h.source(JdbcDestinationContract.MOOD, JdbcDestinationContract.TYPES, JdbcDestinationContract.TYPES_ROW,
                JdbcDestinationContract.TYPES_NULLS);
        String table = "    cron: self-managed\n    mode: syncing\n    batch_size: 40\n    bookmark: updated_at\n"
                + "    primary_key: id\n    primary_key_datatype: int\n";
        Path mapping = h.mappingWith("shop", "destination:\n  local:\n    destination_type: sqlite\n    url: "
                        + dir.resolve("local.sqlite") + "\n  embedded:\n    destination_type: h2\n    url: "
                        + dir.resolve("embedded") + "\n    schema: dw\n",
                "  - table_name: orders\n" + table + "    process_dict: io.caravan.it.Upper\n"
                        + "  - table_name: types\n" + table);
        String summary = h.runOk(mapping).out();
        for (String d : List.of("local", "embedded")) {
            assertThat(summary).containsPattern("shop\\s+orders\\s+" + d + "\\s+succeeded\\s+250\\s+249\\s")
                    .containsPattern("shop\\s+types\\s+" + d + "\\s+succeeded\\s+2\\s+2\\s");
        }

        List<PgType> types = JdbcDestinationContract.TYPE_SQL.stream().map(PgType::parse).toList();
        String columns = String.join(", ", JdbcDestinationContract.TYPE_COLUMNS.stream().map(c -> "\"" + c + "\"")
                .toList());
        List<String> source;
        try (Connection c = io.caravan.testing.PgServer.get().connect(h.sourceDb()); Statement s = c.createStatement()) {
            s.execute("SET intervalstyle = iso_8601");
            source = Canon.rows(c, "SELECT " + columns.replace("\"ai\"", "array_to_json(ai)::text")
                    .replace("\"at\"", "array_to_json(at)::text") + " FROM types ORDER BY id", types, "postgresql");
        }
        for (String[] db : new String[][] {{"jdbc:sqlite:" + dir.resolve("local.sqlite"), "sqlite", ""},
            {"jdbc:h2:file:" + dir.resolve("embedded").toAbsolutePath(), "h2", "\"dw\"."}}) {
            try (Connection c = DriverManager.getConnection(db[0])) {
                assertThat(Canon.rows(c, "SELECT " + columns + " FROM " + db[2] + "\"types\" ORDER BY \"id\"",
                        types, db[1])).isEqualTo(source);
                List<String> orders = Canon.rows(c, "SELECT \"id\", \"status\" FROM " + db[2] + "\"orders\""
                        + " ORDER BY \"id\"", List.of(PgType.parse("bigint"), PgType.parse("text")), db[1]);
                assertThat(orders).hasSize(249).doesNotContain("13|NEW").allMatch(r -> r.endsWith("|NEW"));
            }
        }
    }
}
