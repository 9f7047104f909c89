package io.caravan.dialect.sqlserver;

import io.caravan.dialect.SqlDialect;
import io.caravan.batch.Column;
import io.caravan.destination.jdbc.JdbcDialect;
import io.caravan.destination.jdbc.PgType;
import io.caravan.mapping.DestinationSpec;

import java.sql.Types;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Microsoft SQL Server 2016 and later (and Azure SQL) through mssql-jdbc. Identifiers in brackets; text is
 * {@code NVARCHAR} (UTF-16); a schema is created when absent ({@code CREATE SCHEMA} must be alone in its batch, so
 * through {@code EXEC}). Staging tables are the session's {@code #} temporary tables made by
 * {@code SELECT TOP 0 ... INTO #stage FROM target}, so that they have the target's exact types and collations (a
 * temporary table otherwise takes tempdb's collation, and comparing keys across collations fails). Upsert and
 * insert-if-absent are {@code MERGE ... WITH (HOLDLOCK)} (without the hint, two concurrent MERGEs may both insert a
 * key). Reference: Microsoft Learn, "MERGE (Transact-SQL)", "CREATE SCHEMA", "Maximum capacity specifications" (900
 * bytes per clustered index key, so text keys are NVARCHAR(450)).
 */
public final class SqlServerDialect extends JdbcDialect {

    /** The one instance. */
    public static final SqlServerDialect INSTANCE = new SqlServerDialect();

    /** Key text columns: 450 UTF-16 characters are the 900 bytes a clustered primary key holds. */
    public static final String KEY_TEXT = "NVARCHAR(450)";
    private static final int MAX_PRECISION = 38;
    private static final int MAX_NVARCHAR = 4000;

    private SqlServerDialect() {
    }

    @Override
    public String name() {
        return "sqlserver";
    }

    @Override
    public List<String> destinationTypes() {
        return List.of("sqlserver");
    }

    /**
     * @return the URL as given when it starts with {@code jdbc:}, else
     *         {@code jdbc:sqlserver://<url>;databaseName=<db_name>} (the driver encrypts by default and then needs a
     *         server certificate it trusts: give a full URL with {@code trustServerCertificate=true} otherwise)
     */
    @Override
    public String jdbcUrl(DestinationSpec spec) {
        if (spec.url().startsWith("jdbc:")) {
            return spec.url();
        }
        return "jdbc:sqlserver://" + spec.url() + (spec.dbName() == null ? "" : ";databaseName=" + spec.dbName());
    }

    @Override
    protected int maxIdentifierLength() {
        // a temporary table's name: 116 characters
        return 115;
    }

    @Override
    public String quote(String identifier) {
        return SqlDialect.bracketQuoted(identifier);
    }

    @Override
    public String columnType(PgType type, boolean key) {
        return switch (type.kind()) {
            case BOOLEAN -> "BIT";
            case SMALLINT -> "SMALLINT";
            case INTEGER -> "INT";
            case BIGINT -> "BIGINT";
            case NUMERIC -> type.precision() < 0 ? "DECIMAL(38, 10)" : numericAsText(type) ? text(key)
                    : "DECIMAL(" + type.precision() + ", " + type.scale() + ")";
            case REAL -> "REAL";
            case DOUBLE -> "FLOAT";
            case VARCHAR -> key ? "NVARCHAR(" + Math.min(type.length(), 450) + ")"
                    : type.length() <= MAX_NVARCHAR ? "NVARCHAR(" + type.length() + ")" : "NVARCHAR(MAX)";
            case CHAR -> type.length() <= MAX_NVARCHAR ? "NCHAR(" + type.length() + ")" : text(key);
            case UUID -> "UNIQUEIDENTIFIER";
            case BYTEA -> "VARBINARY(MAX)";
            case DATE -> "DATE";
            case TIMESTAMP -> "DATETIME2(" + type.precision() + ")";
            case TIMESTAMPTZ -> "DATETIMEOFFSET(" + type.precision() + ")";
            case TIME -> "TIME(" + type.precision() + ")";
            case TIMETZ -> "NVARCHAR(32)";
            case INTERVAL -> "NVARCHAR(64)";
            default -> text(key);
        };
    }

    /** @return true for numeric(p,s) beyond DECIMAL's 38 digits: text, written exactly */
    @Override
    protected boolean numericAsText(PgType type) {
        return type.precision() > MAX_PRECISION;
    }

    private static String text(boolean key) {
        return key ? KEY_TEXT : "NVARCHAR(MAX)";
    }

    @Override
    protected int nullType(PgType type) {
        return type.kind() == PgType.Kind.BOOLEAN ? Types.BIT : super.nullType(type);
    }

    /** @return {@code IF SCHEMA_ID(N's') IS NULL EXEC('CREATE SCHEMA [s]')} */
    @Override
    public List<String> createSchema(String schema) {
        return List.of("IF SCHEMA_ID(N'" + schema.replace("'", "''") + "') IS NULL EXEC('CREATE SCHEMA "
                + quote(schema).replace("'", "''") + "')");
    }

    @Override
    public String addColumn(String table, Column column) {
        return "ALTER TABLE " + table + " ADD " + quote(column.name()) + " "
                + columnType(PgType.parse(column.sqlType()), false);
    }

    /** @return {@code [#<t>__caravan_stage]}: a session temporary table */
    @Override
    public String stageName(String schema, String target) {
        return quote("#" + derivedName(target, "__caravan_stage"));
    }

    @Override
    public String keyStageName(String schema, String target) {
        return quote("#" + derivedName(target, "__caravan_keys"));
    }

    /** @return {@code SELECT TOP 0 cols INTO #stage FROM target}: the target's types and collations */
    @Override
    public List<String> createStage(String stage, String target, List<Column> columns) {
        return List.of("SELECT TOP 0 " + columnList(columns) + " INTO " + stage + " FROM " + target);
    }

    @Override
    public List<String> createKeyStage(String keyStage, String target, Column key) {
        return List.of("SELECT TOP 0 " + quote(key.name()) + " AS " + quote(KEY_COLUMN) + " INTO " + keyStage
                + " FROM " + target);
    }

    @Override
    public String dropTable(String table) {
        return "DROP TABLE IF EXISTS " + table;
    }

    @Override
    public String upsertFromStage(String target, String stage, List<Column> columns, List<String> keyColumns) {
        List<Column> values = columns.stream().filter(c -> !keyColumns.contains(c.name())).toList();
        String matched = values.isEmpty() ? "" : " WHEN MATCHED THEN UPDATE SET " + values.stream()
                .map(c -> quote(c.name()) + " = s." + quote(c.name())).collect(Collectors.joining(", "));
        return merge(target, stage, keyColumns) + matched + notMatched(columns);
    }

    @Override
    public String insertAbsentFromStage(String target, String stage, List<Column> columns, List<String> keyColumns) {
        return merge(target, stage, keyColumns) + notMatched(columns);
    }

    private String merge(String target, String stage, List<String> keyColumns) {
        return "MERGE INTO " + target + " WITH (HOLDLOCK) AS t USING " + stage + " AS s ON ("
                + keyJoin("t", "s", keyColumns) + ")";
    }

    private String notMatched(List<Column> columns) {
        return " WHEN NOT MATCHED THEN INSERT (" + columnList(columns) + ") VALUES (" + columnList("s", columns)
                + ");";
    }

    /**
     * @return DELETE of the target rows whose key is {@code NOT IN} the key staging table (whose column is NOT NULL,
     *         copied from the target's key, so NOT IN is the anti-join it reads as)
     */
    @Override
    public String deleteAbsentKeys(String target, String keyStage, String key) {
        return "DELETE FROM " + target + " WHERE " + quote(key) + " NOT IN (SELECT " + quote(KEY_COLUMN) + " FROM "
                + keyStage + ")";
    }
}
