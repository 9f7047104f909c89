package io.caravan.dialect.sqlite;

import io.caravan.batch.Column;
import io.caravan.destination.jdbc.JdbcDialect;
import io.caravan.destination.jdbc.PgType;
import io.caravan.mapping.DestinationSpec;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * SQLite through xerial's sqlite-jdbc. SQLite has five storage classes, so types are few: integers and booleans
 * {@code INTEGER}, floats {@code REAL}, bytea {@code BLOB}, everything else {@code TEXT}: numeric as its exact
 * decimal text (a {@code NUMERIC} column would turn {@code 12.50} into the float 12.5), dates and times as ISO-8601
 * text with six fractional digits (so text order is time order; SQLite's date functions read it), timestamptz in UTC
 * with {@code +00:00}. No schemas. Staging tables are {@code TEMP} tables; upsert is
 * {@code INSERT ... SELECT ... WHERE true ON CONFLICT (k) DO UPDATE} (SQLite 3.24 and later; the {@code WHERE true}
 * resolves the parsing ambiguity the SQLite manual describes under "upsert"). Reference: sqlite.org "Datatypes In
 * SQLite", "UPSERT", "Date And Time Functions".
 */
public final class SqliteDialect extends JdbcDialect {

    /** The one instance. */
    public static final SqliteDialect INSTANCE = new SqliteDialect();

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

    private SqliteDialect() {
    }

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public List<String> destinationTypes() {
        return List.of("sqlite");
    }

    /** @return the URL as given when it starts with {@code jdbc:}, else {@code jdbc:sqlite:<absolute path>} */
    @Override
    public String jdbcUrl(DestinationSpec spec) {
        if (spec.url().startsWith("jdbc:")) {
            return spec.url();
        }
        return "jdbc:sqlite:" + Path.of(spec.url()).toAbsolutePath();
    }

    /**
     * Adds {@code busy_timeout} of 60 s: SQLite lets one transaction write at a time, and the tables of a job write
     * at the same time, so a writer waits for the other's commit instead of failing with SQLITE_BUSY at once.
     */
    @Override
    public Properties connectionProperties(DestinationSpec spec) {
        Properties p = super.connectionProperties(spec);
        p.setProperty("busy_timeout", "60000");
        return p;
    }

    /** @return null: SQLite has no schemas to write in */
    @Override
    public String targetSchema(DestinationSpec spec) {
        return null;
    }

    @Override
    protected int maxIdentifierLength() {
        return 1024;
    }

    @Override
    public String qualified(String schema, String table) {
        return quote(table);
    }

    @Override
    public String columnType(PgType type, boolean key) {
        return switch (type.kind()) {
            case BOOLEAN, SMALLINT, INTEGER, BIGINT -> "INTEGER";
            case REAL, DOUBLE -> "REAL";
            case BYTEA -> "BLOB";
            default -> "TEXT";
        };
    }

    @Override
    public List<String> createSchema(String schema) {
        return List.of();
    }

    @Override
    public List<String> createStage(String stage, String target, List<Column> columns) {
        String defs = columns.stream().map(c -> columnDefinition(c, false, true)).collect(Collectors.joining(", "));
        return List.of("CREATE TEMP TABLE IF NOT EXISTS " + stage + " (" + defs + ")");
    }

    @Override
    public String upsertFromStage(String target, String stage, List<Column> columns, List<String> keyColumns) {
        List<Column> values = columns.stream().filter(c -> !keyColumns.contains(c.name())).toList();
        String action = values.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + values.stream()
                .map(c -> quote(c.name()) + " = excluded." + quote(c.name())).collect(Collectors.joining(", "));
        return "INSERT INTO " + target + " (" + columnList(columns) + ") SELECT " + columnList(columns) + " FROM " + stage
                + " WHERE true ON CONFLICT (" + names(keyColumns) + ") " + action;
    }

    @Override
    public String insertAbsentFromStage(String target, String stage, List<Column> columns, List<String> keyColumns) {
        return "INSERT INTO " + target + " (" + columnList(columns) + ") SELECT " + columnList(columns) + " FROM "
                + stage + " WHERE true ON CONFLICT (" + names(keyColumns) + ") DO NOTHING";
    }

    @Override
    protected String[] metadataScope(DatabaseMetaData md, String schema) {
        return new String[] {null, null};
    }

    /** Booleans as 1/0; numerics, dates and times as text (see the class comment); the rest as by default. */
    @Override
    public void bind(PreparedStatement ps, int index, PgType type, Object value) throws SQLException {
        if (value == null) {
            super.bind(ps, index, type, value);
            return;
        }
        switch (type.kind()) {
            case NUMERIC -> ps.setString(index, value instanceof BigDecimal b ? b.toPlainString() : text(value));
            case BOOLEAN -> ps.setInt(index, Boolean.TRUE.equals(value) || "true".equals(value) ? 1 : 0);
            case DATE, TIMESTAMP, TIME, TIMESTAMPTZ -> ps.setString(index, temporal(value));
            default -> super.bind(ps, index, type, value);
        }
    }

    private static String temporal(Object value) {
        if (value instanceof OffsetDateTime t) {
            return TIMESTAMP.format(utc(t)) + "+00:00";
        }
        if (value instanceof LocalDateTime t) {
            return TIMESTAMP.format(t);
        }
        if (value instanceof LocalTime t) {
            return TIME.format(t);
        }
        if (value instanceof LocalDate d) {
            return d.toString();
        }
        return text(value);
    }
}
