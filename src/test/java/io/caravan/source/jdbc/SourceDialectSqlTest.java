package io.caravan.source.jdbc;

import io.caravan.dialect.h2.H2SourceDialect;
import io.caravan.dialect.mysql.MariaDbSourceDialect;
import io.caravan.dialect.oracle.OracleSourceDialect;
import io.caravan.dialect.sqlite.SqliteSourceDialect;
import io.caravan.dialect.sqlserver.SqlServerSourceDialect;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read SQL of every relational source dialect, asserted exactly: an incremental page (keyset on (bookmark, key)
 * after the cursor, bookmark up to the ceiling, ordered, limited). Oracle's and SQL Server's pages also run on H2 in
 * its Oracle and MSSQLServer compatibility modes, which accept their syntax, and return the right rows.
 */
class SourceDialectSqlTest {

    static String page(SourceDialect d, String schema) {
        String bm = d.quote("updated_at");
        String id = d.quote("id");
        SourceDialect.Condition after = d.after(List.of(bm, id));
        return d.select(d.qualified(schema, "orders"), List.of(id, d.quote("status"), bm),
                List.of(after.sql(), bm + " <= ?"), List.of(bm, id), 3);
    }

    @Test
    void oracleUsesTheExpandedOrFormAndFetchFirst() {
        assertThat(page(OracleSourceDialect.INSTANCE, "SHOP")).isEqualTo("SELECT \"id\", \"status\", \"updated_at\""
                + " FROM \"SHOP\".\"orders\" WHERE (\"updated_at\" > ? OR (\"updated_at\" = ? AND \"id\" > ?))"
                + " AND \"updated_at\" <= ? ORDER BY \"updated_at\", \"id\" FETCH FIRST 3 ROWS ONLY");
        assertThat(OracleSourceDialect.INSTANCE.after(List.of("\"a\", \"b\"".split(", "))).params())
                .containsExactly(0, 0, 1);
        assertThat(OracleSourceDialect.INSTANCE.clock())
                .isEqualTo("SELECT SYS_EXTRACT_UTC(SYSTIMESTAMP), CAST(SYSTIMESTAMP AS TIMESTAMP) FROM DUAL");
    }

    @Test
    void sqlServerUsesBracketsTopAndTheExpandedOrForm() {
        assertThat(page(SqlServerSourceDialect.INSTANCE, "dbo")).isEqualTo("SELECT TOP (3) [id], [status],"
                + " [updated_at] FROM [dbo].[orders] WHERE ([updated_at] > ? OR ([updated_at] = ? AND [id] > ?))"
                + " AND [updated_at] <= ? ORDER BY [updated_at], [id]");
        assertThat(SqlServerSourceDialect.INSTANCE.clock()).isEqualTo("SELECT SYSUTCDATETIME(), SYSDATETIME()");
    }

    @Test
    void mariaDbUsesBackticksLimitAndTheExpandedOrForm() {
        assertThat(page(MariaDbSourceDialect.MARIADB, "shop")).isEqualTo("SELECT `id`, `status`, `updated_at`"
                + " FROM `shop`.`orders` WHERE (`updated_at` > ? OR (`updated_at` = ? AND `id` > ?))"
                + " AND `updated_at` <= ? ORDER BY `updated_at`, `id` LIMIT 3");
    }

    @Test
    void sqliteAndH2CompareRowValues() {
        assertThat(page(SqliteSourceDialect.INSTANCE, null)).isEqualTo("SELECT \"id\", \"status\", \"updated_at\""
                + " FROM \"orders\" WHERE (\"updated_at\", \"id\") > (?, ?) AND \"updated_at\" <= ?"
                + " ORDER BY \"updated_at\", \"id\" LIMIT 3");
        assertThat(page(H2SourceDialect.INSTANCE, "PUBLIC")).isEqualTo("SELECT \"id\", \"status\", \"updated_at\""
                + " FROM \"PUBLIC\".\"orders\" WHERE (\"updated_at\", \"id\") > (?, ?) AND \"updated_at\" <= ?"
                + " ORDER BY \"updated_at\", \"id\" FETCH FIRST 3 ROWS ONLY");
        assertThat(SourceDialect.GENERIC.after(List.of("a", "b", "c")).sql())
                .isEqualTo("(a > ? OR (a = ? AND b > ?) OR (a = ? AND b = ? AND c > ?))");
    }

    @Test
    void oraclePagesRunOnH2InOracleMode() throws SQLException {
        assertThat(run("Oracle", OracleSourceDialect.INSTANCE, "SHOP")).containsExactly("2", "4", "3");
    }

    @Test
    void sqlServerPagesRunOnH2InMsSqlServerMode() throws SQLException {
        assertThat(run("MSSQLServer", SqlServerSourceDialect.INSTANCE, "SHOP")).containsExactly("2", "4", "3");
    }

    /** Rows (1..5) with bookmarks; the cursor is (10:00, 1); the ceiling 10:02 excludes row 5. */
    private static List<String> run(String mode, SourceDialect d, String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + mode + ";MODE=" + mode);
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS \"SHOP\"");
            s.execute("CREATE TABLE \"SHOP\".\"orders\" (\"id\" INT PRIMARY KEY, \"status\" VARCHAR(9),"
                    + " \"updated_at\" TIMESTAMP)");
            s.execute("INSERT INTO \"SHOP\".\"orders\" VALUES (1, 'a', TIMESTAMP '2024-01-01 10:00:00'),"
                    + " (2, 'b', TIMESTAMP '2024-01-01 10:00:00'), (3, 'c', TIMESTAMP '2024-01-01 10:02:00'),"
                    + " (4, 'd', TIMESTAMP '2024-01-01 10:01:00'), (5, 'e', TIMESTAMP '2024-01-01 10:03:00')");
            List<Object> values = List.of(LocalDateTime.parse("2024-01-01T10:00:00"), 1);
            SourceDialect.Condition after = d.after(List.of(d.quote("updated_at"), d.quote("id")));
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(page(d, schema))) {
                int i = 1;
                for (int p : after.params()) {
                    d.bind(ps, i++, values.get(p));
                }
                d.bind(ps, i, LocalDateTime.parse("2024-01-01T10:02:00"));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            return ids;
        }
    }
}
