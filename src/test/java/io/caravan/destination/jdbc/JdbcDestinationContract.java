package io.caravan.destination.jdbc;

import io.caravan.batch.Column;
import io.caravan.batch.DestinationStats;
import io.caravan.destination.DestinationException;
import io.caravan.it.PipelineHarness;
import io.caravan.mapping.DestinationSpec;
import io.caravan.testing.PgServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every JDBC destination must do, run from a real PostgreSQL source: every mode, replays without duplicates,
 * NULLs and every type of the README's type table read back and compared with the source. A subclass per database
 * provides the destination and a connection to read it back.
 */
abstract class JdbcDestinationContract {

    /** Every type of the README's type table, one column each. */
    static final String TYPES = "CREATE TABLE types (id bigint PRIMARY KEY, b boolean, i2 smallint, i4 integer,"
            + " n numeric(12,2), nu numeric, r real, d double precision, t text, vc varchar(20), c char(3), u uuid,"
            + " j jsonb, js json, by bytea, dt date, ts timestamp, ts3 timestamp(3), tz timestamptz, tm time,"
            + " ttz timetz, iv interval, ai integer[], at text[], nb numeric(80,2), vl varchar(5000), m mood,"
            + " updated_at timestamptz NOT NULL)";
    static final String MOOD = "CREATE TYPE mood AS ENUM ('ok', 'sad')";
    static final String TYPES_ROW = "INSERT INTO types VALUES (1, true, -32768, 2147483647, 1234567890.12,"
            + " 3.14159265358979323846, 1.5, 2.25e100, E'h\u00e9llo ''w\u00f6rld'' \\U0001F680 \\t tab \\n line',"
            + " 'varchar', 'abc', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"b\": [1, 2.5, null], \"a\": \"x\"}',"
            + " '{\"z\": 1, \"a\": [true, false]}', '\\xdeadbeef00', '2024-02-29', '2024-05-01 10:11:12.123456',"
            + " '2024-05-01 10:11:12.123', '2024-05-01 10:11:12.654321+02', '23:59:59.999999', '10:00:00+02',"
            + " '1 year 2 months 3 days 04:05:06.5', '{1,NULL,3}', '{\"a,b\",\"c\\\"d\",NULL}',"
            + " 123456789012345678901234567890123456789012345678901234567890123456789012345678.91, repeat('v', 5000),"
            + " 'sad', now())";
    static final String TYPES_NULLS = "INSERT INTO types (id, updated_at) VALUES (2, now())";
    static final List<String> TYPE_COLUMNS = List.of("id", "b", "i2", "i4", "n", "nu", "r", "d", "t", "vc", "c", "u",
            "j", "js", "by", "dt", "ts", "ts3", "tz", "tm", "ttz", "iv", "ai", "at", "nb", "vl", "m");
    static final List<String> TYPE_SQL = List.of("bigint", "boolean", "smallint", "integer", "numeric(12,2)",
            "numeric", "real", "double precision", "text", "character varying(20)", "character(3)", "uuid", "jsonb",
            "json", "bytea", "date", "timestamp without time zone", "timestamp(3) without time zone",
            "timestamp with time zone", "time without time zone", "time with time zone", "interval", "integer[]",
            "text[]", "numeric(80,2)", "character varying(5000)", "text");
    static final List<PgType> ORDER_TYPES = Stream.of("bigint", "text", "numeric(12,2)", "timestamp with time zone")
            .map(PgType::parse).toList();

    @TempDir
    Path dir;

    /** @return the destination written (named {@code dw}) */
    abstract DestinationSpec spec();

    /** @return the dialect the destination uses */
    abstract JdbcDialect dialect();

    /** @return a new connection to the destination, to read it back */
    abstract Connection connect() throws SQLException;

    /** @return the qualified name of a target table */
    String target(String table) {
        return dialect().qualified(dialect().targetSchema(spec()), table);
    }

    /** @return the name {@link Canon} reads the destination by */
    String canonName() {
        return dialect().name();
    }

    JdbcRuns runs(PipelineHarness h) {
        return new JdbcRuns(h, spec(), dialect());
    }

    List<String> destinationRows(String table, List<String> columns, List<PgType> types) throws SQLException {
        String cols = columns.stream().map(dialect()::quote).collect(Collectors.joining(", "));
        try (Connection c = connect()) {
            return Canon.rows(c, "SELECT " + cols + " FROM " + target(table) + " ORDER BY " + dialect().quote("id"),
                    types, canonName());
        }
    }

    List<String> sourceRows(PipelineHarness h, String table, List<String> columns, List<PgType> types)
            throws SQLException {
        String cols = columns.stream().map(c -> types.get(columns.indexOf(c)).kind() == PgType.Kind.ARRAY
                ? "array_to_json(\"" + c + "\")::text" : "\"" + c + "\"").collect(Collectors.joining(", "));
        try (Connection c = PgServer.get().connect(h.sourceDb()); Statement s = c.createStatement()) {
            s.execute("SET intervalstyle = iso_8601");
            return Canon.rows(c, "SELECT " + cols + " FROM " + table + " ORDER BY id", types, "postgresql");
        }
    }

    long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<String> orderColumns() {
        return List.of("id", "status", "amount", "updated_at");
    }

    @Test
    void everyTypeAndNullsRoundTrip() throws SQLException {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source(MOOD, TYPES, TYPES_ROW, TYPES_NULLS);
        Path mapping = h.mapping("shop", "  - table_name: types\n    cron: self-managed\n    mode: syncing\n"
                + "    bookmark: updated_at\n    primary_key: id\n    primary_key_datatype: int\n");
        runs(h).run(mapping, 0);
        List<PgType> types = TYPE_SQL.stream().map(PgType::parse).toList();
        List<String> source = sourceRows(h, "types", TYPE_COLUMNS, types);
        assertThat(source.get(0)).contains("2024-05-01T08:11:12.654321Z").contains("P1Y2M3DT4H5M6.5S");
        assertThat(destinationRows("types", TYPE_COLUMNS, types)).isEqualTo(source);
    }

    @Test
    void syncingUpsertsAndAReplayLeavesNoDuplicates() throws SQLException {
        PipelineHarness h = PipelineHarness.orders(dir, "syncing", "    bookmark: updated_at\n");
        Path mapping = h.dir().resolve("shop.yaml");
        DestinationStats first = runs(h).run(mapping, 0);
        assertThat(first.rowsWritten()).isEqualTo(250);
        assertThat(destinationRows("orders", orderColumns(), ORDER_TYPES))
                .isEqualTo(sourceRows(h, "orders", orderColumns(), ORDER_TYPES));

        h.source("UPDATE orders SET status = 'paid', amount = NULL, updated_at = now() WHERE id IN (10, 200)",
                "INSERT INTO orders VALUES (251, 'new', 9.99, now())");
        DestinationStats second = runs(h).run(mapping, 0);
        assertThat(second.rowsWritten()).isEqualTo(3);
        assertThat(destinationRows("orders", orderColumns(), ORDER_TYPES))
                .isEqualTo(sourceRows(h, "orders", orderColumns(), ORDER_TYPES));

        // a fresh cursor store replays every row: still one row per key
        runs(h).run(mapping, 0, dir.resolve("other-state"));
        assertThat(count("SELECT count(*) FROM " + target("orders"))).isEqualTo(251);
        assertThat(destinationRows("orders", orderColumns(), ORDER_TYPES))
                .isEqualTo(sourceRows(h, "orders", orderColumns(), ORDER_TYPES));
    }

    @Test
    void loggingInsertsOnlyAbsentKeys() throws SQLException {
        PipelineHarness h = PipelineHarness.orders(dir, "logging", "");
        Path mapping = h.dir().resolve("shop.yaml");
        runs(h).run(mapping, 3);
        assertThat(count("SELECT count(*) FROM " + target("orders"))).isEqualTo(120);
        h.source("UPDATE orders SET status = 'paid' WHERE id = 5", "INSERT INTO orders VALUES (251, 'new', 1, now())");
        runs(h).run(mapping, 0, dir.resolve("other-state"));
        assertThat(count("SELECT count(*) FROM " + target("orders"))).isEqualTo(251);
        assertThat(count("SELECT count(*) FROM " + target("orders") + " WHERE " + dialect().quote("status")
                + " = 'paid'")).isZero();
    }

    @Test
    void dumpingAppendsOneSnapshotPerRunAndADeadRunNone() throws SQLException {
        PipelineHarness h = PipelineHarness.orders(dir, "dumping", "");
        Path mapping = h.dir().resolve("shop.yaml");
        DestinationStats first = runs(h).run(mapping, 0);
        assertThat(first.rowsWritten()).isEqualTo(250);
        String snapshot = dialect().quote(JdbcDialect.SNAPSHOT_COLUMN);
        assertThat(count("SELECT count(DISTINCT " + snapshot + ") FROM " + target("orders"))).isEqualTo(1);

        runs(h).run(mapping, 3);
        assertThat(count("SELECT count(*) FROM " + target("orders"))).isEqualTo(250);

        runs(h).run(mapping, 0);
        assertThat(count("SELECT count(*) FROM " + target("orders"))).isEqualTo(500);
        assertThat(count("SELECT count(DISTINCT " + snapshot + ") FROM " + target("orders"))).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM " + target("orders") + " WHERE " + snapshot + " IS NULL")).isZero();
    }

    @Test
    void mirroringDeletesRowsGoneAtTheSource() throws SQLException {
        PipelineHarness h = PipelineHarness.orders(dir, "mirroring", "    bookmark: updated_at\n");
        Path mapping = h.dir().resolve("shop.yaml");
        runs(h).run(mapping, 0);
        h.source("DELETE FROM orders WHERE id % 10 = 0", "UPDATE orders SET status = 'paid', updated_at = now()"
                + " WHERE id = 7");
        DestinationStats second = runs(h).run(mapping, 0);
        assertThat(second.rowsDeleted()).isEqualTo(25);
        assertThat(destinationRows("orders", orderColumns(), ORDER_TYPES))
                .isEqualTo(sourceRows(h, "orders", orderColumns(), ORDER_TYPES));
        assertThat(count("SELECT count(*) FROM " + target("orders"))).isEqualTo(225);
    }

    /** The orders table's columns as the source describes them. */
    static final List<Column> ORDER_COLUMNS = List.of(new Column("id", "bigint", 20, true),
            new Column("status", "text", 25, true), new Column("amount", "numeric(12,2)", 1700, false),
            new Column("updated_at", "timestamp with time zone", 1184, true));

    /** Creates the target {@code orders} by hand, as a user would before Caravan's first run. */
    void createOrdersTarget(List<String> key) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            String schema = dialect().targetSchema(spec());
            if (schema != null) {
                for (String ddl : dialect().createSchema(schema)) {
                    s.execute(ddl);
                }
            }
            s.execute(dialect().createTable(target("orders"), ORDER_COLUMNS, key));
        }
    }

    @Test
    void columnsAddedAtTheSourceAreAddedAtTheDestination() throws SQLException {
        PipelineHarness h = PipelineHarness.orders(dir, "syncing", "    bookmark: updated_at\n");
        Path mapping = h.dir().resolve("shop.yaml");
        runs(h).run(mapping, 0);
        h.source("ALTER TABLE orders ADD COLUMN note text", "UPDATE orders SET note = 'n' || id, updated_at = now()"
                + " WHERE id <= 5");
        runs(h).run(mapping, 0);
        List<String> cols = List.of("id", "note");
        List<PgType> types = List.of(PgType.parse("bigint"), PgType.parse("text"));
        assertThat(destinationRows("orders", cols, types)).isEqualTo(sourceRows(h, "orders", cols, types))
                .contains("5|n5", "6|∅");
    }

    @Test
    void anExistingTargetWithoutTheKeyIsRefused() throws SQLException {
        PipelineHarness h = PipelineHarness.orders(dir, "syncing", "    bookmark: updated_at\n");
        createOrdersTarget(List.of());
        JdbcRuns runs = runs(h);
        Path mapping = h.dir().resolve("shop.yaml");
        assertThatThrownBy(() -> runs.run(mapping, 0)).isInstanceOf(DestinationException.class)
                .hasMessageStartingWith("job shop, table orders, destination dw (" + spec().destinationType() + "):"
                        + " target table ")
                .hasMessageContaining("orders exists without a primary key or unique index on exactly (id)");
    }

    @Test
    void anExistingTargetWithTheKeyIsWritten() throws SQLException {
        PipelineHarness h = PipelineHarness.orders(dir, "syncing", "    bookmark: updated_at\n");
        createOrdersTarget(List.of("id"));
        runs(h).run(h.dir().resolve("shop.yaml"), 0);
        assertThat(destinationRows("orders", orderColumns(), ORDER_TYPES))
                .isEqualTo(sourceRows(h, "orders", orderColumns(), ORDER_TYPES));
    }

    @Test
    void textKeysCompareExactlyAndMirroringDeletesByThem() throws SQLException {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source("CREATE TABLE tags (id text PRIMARY KEY, n integer, updated_at timestamptz NOT NULL)",
                "INSERT INTO tags VALUES ('a', 1, now()), ('A', 2, now()), ('b', 3, now()), ('b ', 4, now()),"
                        + " ('été', 5, now()), ('x''y', 6, now())");
        Path mapping = h.mapping("shop", "  - table_name: tags\n    cron: self-managed\n    mode: mirroring\n"
                + "    bookmark: updated_at\n    primary_key: id\n    primary_key_datatype: str\n");
        List<PgType> types = List.of(PgType.parse("text"), PgType.parse("integer"));
        runs(h).run(mapping, 0);
        assertThat(count("SELECT count(*) FROM " + target("tags"))).isEqualTo(6);
        h.source("DELETE FROM tags WHERE id IN ('A', 'b ')", "UPDATE tags SET n = 10, updated_at = now() WHERE id = 'a'");
        assertThat(runs(h).run(mapping, 0).rowsDeleted()).isEqualTo(2);
        try (Connection c = connect()) {
            assertThat(Canon.rows(c, "SELECT " + dialect().quote("id") + ", " + dialect().quote("n") + " FROM "
                    + target("tags") + " ORDER BY " + dialect().quote("n"), types, canonName()))
                    .containsExactly("b|3", "été|5", "x'y|6", "a|10");
        }
    }

    @Test
    void partitionColIsIgnoredWithANote() throws SQLException {
        PipelineHarness h = PipelineHarness.orders(dir, "syncing", "    bookmark: updated_at\n"
                + "    partition_col: updated_at\n    partition_col_format: datetime\n");
        DestinationStats stats = runs(h).run(h.dir().resolve("shop.yaml"), 0);
        assertThat(stats.notes()).containsExactly("destination dw (" + spec().destinationType() + ") ignores"
                + " partition_col updated_at of table orders: partitions are a pgsql and s3 feature; the table is"
                + " written unpartitioned");
        assertThat(destinationRows("orders", orderColumns(), ORDER_TYPES))
                .isEqualTo(sourceRows(h, "orders", orderColumns(), ORDER_TYPES));
    }
}
