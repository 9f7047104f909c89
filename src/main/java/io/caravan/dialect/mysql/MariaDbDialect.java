package io.caravan.dialect.mysql;

import io.caravan.dialect.SqlDialect;
import io.caravan.batch.Column;
import io.caravan.destination.jdbc.JdbcDialect;
import io.caravan.destination.jdbc.PgType;
import io.caravan.mapping.DestinationSpec;

import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * MariaDB and MySQL through MariaDB Connector/J ({@code org.mariadb.jdbc}). Identifiers in backticks; a schema is a
 * database ({@code CREATE DATABASE IF NOT EXISTS}); tables use {@code utf8mb4} with a binary collation, so text keys
 * compare as PostgreSQL compares them (the default collations ignore case, and {@code 'a'} and {@code 'A'} would be
 * one key); staging tables are the session's {@code TEMPORARY} tables; upsert is
 * {@code INSERT ... SELECT ... ON DUPLICATE KEY UPDATE c = VALUES(c)}. Reference: MariaDB Knowledge Base,
 * "INSERT ON DUPLICATE KEY UPDATE", "CREATE TABLE", "Data Types"; InnoDB's index key prefix limit of 3072 bytes.
 */
public final class MariaDbDialect extends JdbcDialect {

    /** {@code destination_type: mariadb}: collation {@code utf8mb4_nopad_bin} (trailing spaces count). */
    public static final MariaDbDialect MARIADB = new MariaDbDialect("mariadb", "utf8mb4_nopad_bin");
    /** {@code destination_type: mysql}: collation {@code utf8mb4_bin}, which MySQL 5.7 and 8 both have. */
    public static final MariaDbDialect MYSQL = new MariaDbDialect("mysql", "utf8mb4_bin");

    /** Longest key column in characters: InnoDB indexes 3072 bytes, 4 bytes per utf8mb4 character. */
    public static final int KEY_CHARS = 768;
    /** Longest VARCHAR kept as VARCHAR; longer ones become LONGTEXT (a row holds 65,535 bytes of VARCHARs). */
    public static final int VARCHAR_CHARS = 255;
    private static final int MAX_PRECISION = 65;
    private static final int MAX_SCALE = 30;

    private final String name;
    private final String collation;

    private MariaDbDialect(String name, String collation) {
        this.name = name;
        this.collation = collation;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> destinationTypes() {
        return List.of(name);
    }

    /**
     * @return the URL as given when it starts with {@code jdbc:} ({@code jdbc:mysql:} turned into
     *         {@code jdbc:mariadb:}, the scheme of the driver Caravan ships, which takes the other only with
     *         {@code permitMysqlScheme}), else {@code jdbc:mariadb://<url>/<db_name>}
     */
    @Override
    public String jdbcUrl(DestinationSpec spec) {
        return jdbcUrl(spec.url(), spec.dbName());
    }

    /**
     * @param url    a mapping's {@code url}: host[:port] or a {@code jdbc:mariadb:}/{@code jdbc:mysql:} URL; never null
     * @param dbName the database connected to; may be null
     * @return the URL the shipped MariaDB driver takes, as {@link #jdbcUrl(DestinationSpec)} describes
     */
    public static String jdbcUrl(String url, String dbName) {
        if (url.startsWith("jdbc:mysql:")) {
            return "jdbc:mariadb:" + url.substring("jdbc:mysql:".length());
        }
        if (url.startsWith("jdbc:")) {
            return url;
        }
        return "jdbc:mariadb://" + url + "/" + (dbName == null ? "" : dbName);
    }

    /**
     * Adds {@code useBulkStmts=true}: batches of inserts go to the server as one bulk command (MariaDB's
     * COM_STMT_BULK_EXECUTE) instead of one round trip per row.
     */
    @Override
    public Properties connectionProperties(DestinationSpec spec) {
        Properties p = super.connectionProperties(spec);
        p.setProperty("useBulkStmts", "true");
        return p;
    }

    /** @return {@code schema}, or {@code db_name} when no schema is given */
    @Override
    public String targetSchema(DestinationSpec spec) {
        return spec.schema() != null ? spec.schema() : spec.dbName();
    }

    /** @return {@code SELECT GET_LOCK(?, 0)}: a named lock the session holds until it closes, not waiting */
    @Override
    public String tryLock() {
        return "SELECT GET_LOCK(?, 0)";
    }

    @Override
    protected int maxIdentifierLength() {
        return 64;
    }

    @Override
    public String quote(String identifier) {
        return SqlDialect.backQuoted(identifier);
    }

    @Override
    public String columnType(PgType type, boolean key) {
        return switch (type.kind()) {
            case BOOLEAN -> "BOOLEAN";
            case SMALLINT -> "SMALLINT";
            case INTEGER -> "INT";
            case BIGINT -> "BIGINT";
            case NUMERIC -> type.precision() < 0 ? "DECIMAL(" + MAX_PRECISION + "," + MAX_SCALE + ")"
                    : numericAsText(type) ? text(key) : "DECIMAL(" + type.precision() + "," + type.scale() + ")";
            case REAL -> "FLOAT";
            case DOUBLE -> "DOUBLE";
            case VARCHAR -> key ? "VARCHAR(" + Math.min(type.length(), KEY_CHARS) + ")"
                    : type.length() <= VARCHAR_CHARS ? "VARCHAR(" + type.length() + ")" : "LONGTEXT";
            case CHAR -> type.length() <= VARCHAR_CHARS ? "CHAR(" + type.length() + ")" : text(key);
            case UUID -> "CHAR(36)";
            case JSON, ARRAY -> key ? text(true) : "JSON";
            case BYTEA -> "LONGBLOB";
            case DATE -> "DATE";
            case TIMESTAMP, TIMESTAMPTZ -> "DATETIME(" + Math.min(type.precision(), 6) + ")";
            case TIME -> "TIME(" + Math.min(type.precision(), 6) + ")";
            case TIMETZ -> "VARCHAR(32)";
            case INTERVAL -> "VARCHAR(64)";
            default -> text(key);
        };
    }

    /** @return true for numeric(p,s) beyond DECIMAL's 65 digits or 30 decimals: text, written exactly */
    @Override
    protected boolean numericAsText(PgType type) {
        return type.precision() > MAX_PRECISION || type.scale() > MAX_SCALE;
    }

    private static String text(boolean key) {
        return key ? "VARCHAR(" + KEY_CHARS + ")" : "LONGTEXT";
    }

    /** @return {@code CREATE DATABASE IF NOT EXISTS `s` CHARACTER SET utf8mb4 COLLATE <binary collation>} */
    @Override
    public List<String> createSchema(String schema) {
        return List.of("CREATE DATABASE IF NOT EXISTS " + quote(schema) + " CHARACTER SET utf8mb4 COLLATE "
                + collation);
    }

    @Override
    protected String tableOptions() {
        return " DEFAULT CHARSET=utf8mb4 COLLATE=" + collation;
    }

    /** The stage lives in the target's database, as the session's temporary table. */
    @Override
    public String stageName(String schema, String target) {
        return qualified(schema, derivedName(target, "__caravan_stage"));
    }

    @Override
    public String keyStageName(String schema, String target) {
        return qualified(schema, derivedName(target, "__caravan_keys"));
    }

    /** @return {@code CREATE TEMPORARY TABLE IF NOT EXISTS}, with the target's character set and collation */
    @Override
    public List<String> createStage(String stage, String target, List<Column> columns) {
        String defs = columns.stream().map(c -> columnDefinition(c, false, true)).collect(Collectors.joining(", "));
        return List.of("CREATE TEMPORARY TABLE IF NOT EXISTS " + stage + " (" + defs + ")" + tableOptions());
    }

    @Override
    public String dropTable(String table) {
        return "DROP TABLE IF EXISTS " + table;
    }

    @Override
    public String upsertFromStage(String target, String stage, List<Column> columns, List<String> keyColumns) {
        List<Column> values = columns.stream().filter(c -> !keyColumns.contains(c.name())).toList();
        String set = (values.isEmpty() ? columns.stream().filter(c -> keyColumns.contains(c.name())).limit(1).toList()
                : values).stream().map(c -> quote(c.name()) + " = VALUES(" + quote(c.name()) + ")")
                .collect(Collectors.joining(", "));
        return "INSERT INTO " + target + " (" + columnList(columns) + ") SELECT " + columnList(columns) + " FROM " + stage
                + " ON DUPLICATE KEY UPDATE " + set;
    }

    /** Databases are catalogs to Connector/J: tables are looked up by catalog. */
    @Override
    protected String[] metadataScope(DatabaseMetaData md, String schema) throws SQLException {
        return new String[] {schema == null ? md.getConnection().getCatalog() : schema, null};
    }

    /** A timestamptz is written as its UTC date and time into a {@code DATETIME} (TIMESTAMP ends in 2038). */
    @Override
    protected void bindTimestamptz(PreparedStatement ps, int index, OffsetDateTime value) throws SQLException {
        ps.setObject(index, utc(value));
    }
}
