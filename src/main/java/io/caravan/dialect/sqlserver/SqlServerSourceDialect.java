package io.caravan.dialect.sqlserver;

import io.caravan.dialect.SqlDialect;
import io.caravan.mapping.SourceSpec;
import io.caravan.source.jdbc.SourceColumn;
import io.caravan.source.jdbc.SourceDialect;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;

/**
 * SQL Server as a source, through Microsoft's mssql-jdbc. Identifiers in brackets; keyset conditions in the
 * expanded OR form (T-SQL has no row-value comparison); pages are {@code SELECT TOP (n)}. Streaming: mssql-jdbc's
 * default {@code responseBuffering=adaptive} reads rows from the network as they are consumed. The clock is
 * {@code SYSUTCDATETIME()} and {@code SYSDATETIME()}. Types: {@code bit} to boolean, {@code tinyint} to smallint,
 * {@code datetime}, {@code datetime2}, {@code smalldatetime} to timestamp, {@code datetimeoffset} to timestamptz,
 * {@code uniqueidentifier} to uuid, {@code money} to numeric(19,4), {@code nvarchar(max)}, {@code text},
 * {@code xml} to text, {@code varbinary}, {@code image} to bytea. Reference: Microsoft Learn, "SELECT - TOP",
 * "Data types (Transact-SQL)", "Adaptive buffering".
 */
public final class SqlServerSourceDialect extends SourceDialect {

    /** The one instance. */
    public static final SqlServerSourceDialect INSTANCE = new SqlServerSourceDialect();

    private SqlServerSourceDialect() {
    }

    @Override
    public String name() {
        return "sqlserver";
    }

    /** @return the URL as given when it starts with {@code jdbc:}, else {@code jdbc:sqlserver://<url>;databaseName=} */
    @Override
    public String jdbcUrl(SourceSpec spec) {
        if (spec.url().startsWith("jdbc:")) {
            return spec.url();
        }
        return "jdbc:sqlserver://" + spec.url() + (spec.dbName() == null ? "" : ";databaseName=" + spec.dbName());
    }

    @Override
    public String quote(String identifier) {
        return SqlDialect.bracketQuoted(identifier);
    }

    @Override
    public String clock() {
        return "SELECT SYSUTCDATETIME(), SYSDATETIME()";
    }

    @Override
    public LocalDateTime[] readClock(ResultSet rs) throws SQLException {
        return new LocalDateTime[] {rs.getObject(1, LocalDateTime.class), rs.getObject(2, LocalDateTime.class)};
    }

    /** @return {@code SELECT TOP (n) ...} */
    @Override
    public String select(String table, List<String> columns, List<String> where, List<String> orderBy, int limit) {
        return "SELECT " + (limit < 0 ? "" : "TOP (" + limit + ") ") + String.join(", ", columns) + " FROM " + table
                + where(where) + orderBy(orderBy);
    }

    @Override
    public String pgType(SourceColumn column) {
        String t = column.type().toLowerCase(Locale.ROOT);
        if (t.equals("xml") || t.equals("ntext") || t.equals("sql_variant")) {
            return "text";
        }
        if (t.equals("float")) {
            return column.precision() > 0 && column.precision() <= 24 ? "real" : "double precision";
        }
        return null;
    }
}
