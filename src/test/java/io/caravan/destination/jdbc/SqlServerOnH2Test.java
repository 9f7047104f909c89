package io.caravan.destination.jdbc;

import io.caravan.batch.Column;
import io.caravan.dialect.sqlserver.SqlServerDialect;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQL Server's statements executed by H2 in {@code MODE=MSSQLServer} where H2 accepts them: the target's DDL, the
 * MERGE of syncing and of logging, the snapshot append and the delete of gone keys. H2 has no
 * {@code SELECT ... INTO}, so the staging tables are made here with the target's DDL, and no DATETIMEOFFSET, so
 * the DDL here says TIMESTAMP WITH TIME ZONE instead, nor the MERGE's lock hint WITH (HOLDLOCK), left out here; no SQL Server runs here
 * ({@link DialectSqlTest} asserts the exact text of every statement).
 */
class SqlServerOnH2Test {

    private static final SqlServerDialect SQL = SqlServerDialect.INSTANCE;
    private static final List<Column> COLUMNS = List.of(new Column("id", "bigint", 20, true),
            new Column("name", "text", 25, false), new Column("amount", "numeric(12,2)", 1700, false),
            new Column("at", "timestamp with time zone", 1184, false), new Column("u", "uuid", 2950, false),
            new Column("flag", "boolean", 16, false));
    private static final List<String> KEY = List.of("id");

    @TempDir
    Path dir;
    Connection c;
    String target;
    String stage;

    @BeforeEach
    void open() throws SQLException {
        c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("mssql").toAbsolutePath()
                + ";MODE=MSSQLServer");
        execute("CREATE SCHEMA [dw]");
        target = SQL.qualified("dw", "orders");
        stage = SQL.stageName("dw", "orders");
        execute(h2(SQL.createTable(target, COLUMNS, KEY)));
        execute(h2(SQL.createTable(stage, COLUMNS, List.of())));
    }

    /**
     * @return the statement with what H2 lacks replaced: DATETIMEOFFSET(p) by H2's TIMESTAMP(p) WITH TIME ZONE, and
     *         the table hint WITH (HOLDLOCK) (a lock, no change to the result) left out
     */
    private static String h2(String sql) {
        return sql.replaceAll("DATETIMEOFFSET\\((\\d)\\)", "TIMESTAMP($1) WITH TIME ZONE")
                .replace(" WITH (HOLDLOCK)", "");
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private void stageRows(String table, Object[]... rows) throws SQLException {
        execute(SQL.clearStage(table));
        List<PgType> types = COLUMNS.stream().map(col -> PgType.parse(col.sqlType())).toList();
        try (PreparedStatement ps = c.prepareStatement(SQL.insertRow(table, COLUMNS))) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    SQL.bind(ps, i + 1, types.get(i), row[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private List<String> rows(String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT [id], [name], [amount], [at], [u], [flag] FROM " + table
                     + " ORDER BY [id]")) {
            while (rs.next()) {
                OffsetDateTime at = rs.getObject(4, OffsetDateTime.class);
                out.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getBigDecimal(3) + "|"
                        + (at == null ? null : at.toInstant()) + "|" + rs.getString(5) + "|" + rs.getObject(6));
            }
        }
        return out;
    }

    private static Object[] row(long id, String name, String amount) {
        return new Object[] {id, name, amount == null ? null : new BigDecimal(amount),
            OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 123_456_000, ZoneOffset.UTC),
            java.util.UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1" + id), id % 2 == 0};
    }

    @Test
    void upsertUpdatesMatchedKeysAndInsertsTheRestTwiceTheSame() throws SQLException {
        stageRows(stage, row(1, "a", "1.50"), row(2, "b", null));
        execute(h2(SQL.upsertFromStage(target, stage, COLUMNS, KEY)));
        stageRows(stage, row(2, "B", "2.00"), row(3, "c", "3.25"));
        execute(h2(SQL.upsertFromStage(target, stage, COLUMNS, KEY)));
        execute(h2(SQL.upsertFromStage(target, stage, COLUMNS, KEY)));
        assertThat(rows(target)).containsExactly(
                "1|a|1.50|2024-05-01T10:00:00.123456Z|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|false",
                "2|B|2.00|2024-05-01T10:00:00.123456Z|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12|true",
                "3|c|3.25|2024-05-01T10:00:00.123456Z|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13|false");
    }

    @Test
    void insertAbsentKeepsExistingRows() throws SQLException {
        stageRows(stage, row(1, "a", "1.50"));
        execute(h2(SQL.insertAbsentFromStage(target, stage, COLUMNS, KEY)));
        stageRows(stage, row(1, "changed", "9.99"), row(2, "b", null));
        execute(h2(SQL.insertAbsentFromStage(target, stage, COLUMNS, KEY)));
        assertThat(rows(target)).extracting(r -> r.substring(0, r.indexOf('|', 2)))
                .containsExactly("1|a", "2|b");
    }

    @Test
    void gonekeysAreDeleted() throws SQLException {
        stageRows(stage, row(1, "a", "1"), row(2, "b", "2"), row(3, "c", "3"));
        execute(h2(SQL.upsertFromStage(target, stage, COLUMNS, KEY)));
        String keys = SQL.keyStageName("dw", "orders");
        execute("CREATE TABLE " + keys + " ([k] BIGINT)");
        execute("INSERT INTO " + keys + " VALUES (1), (3)");
        try (Statement s = c.createStatement()) {
            assertThat(s.executeUpdate(SQL.deleteAbsentKeys(target, keys, "id"))).isEqualTo(1);
        }
        assertThat(rows(target)).extracting(r -> r.substring(0, 1)).containsExactly("1", "3");
    }

    @Test
    void snapshotIsAppendedStampedWithTheRunStart() throws SQLException {
        List<Column> withDate = new ArrayList<>(COLUMNS);
        withDate.add(JdbcDialect.SNAPSHOT);
        String dump = SQL.qualified("dw", "dump");
        execute(h2(SQL.createTable(dump, withDate, List.of("id", JdbcDialect.SNAPSHOT_COLUMN))));
        stageRows(stage, row(1, "a", "1"), row(2, "b", "2"));
        OffsetDateTime start = OffsetDateTime.of(2024, 6, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        for (int run = 0; run < 2; run++) {
            try (PreparedStatement ps = c.prepareStatement(SQL.appendSnapshot(dump, stage, COLUMNS))) {
                SQL.bind(ps, 1, PgType.parse(JdbcDialect.SNAPSHOT.sqlType()), start.plusDays(run));
                assertThat(ps.executeUpdate()).isEqualTo(2);
            }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT [migration_snapshot_date]) FROM " + dump)) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(4);
            assertThat(rs.getInt(2)).isEqualTo(2);
        }
    }
}
