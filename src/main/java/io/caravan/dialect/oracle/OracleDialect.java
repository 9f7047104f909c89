package io.caravan.dialect.oracle;

import io.caravan.batch.Column;
import io.caravan.destination.jdbc.JdbcDialect;
import io.caravan.destination.jdbc.PgType;
import io.caravan.mapping.DestinationSpec;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Oracle Database 12.2 and later through ojdbc11. A schema is a user: it must exist (null writes to the connecting
 * user's schema); Caravan creates no users. Staging tables are global temporary tables ({@code ON COMMIT DELETE
 * ROWS}: the definition is shared, the rows are the session's and go with each commit), created once when absent,
 * because Oracle's DDL commits. Upsert and insert-if-absent are {@code MERGE}. Oracle stores an empty string as NULL,
 * so an empty text in a NOT NULL column fails the batch. Reference: Oracle Database SQL Language Reference 19c,
 * "MERGE", "CREATE TABLE" (global temporary tables), "Data Types" (VARCHAR2 at most 4000 bytes with
 * MAX_STRING_SIZE = STANDARD, NUMBER at most 38 digits, identifiers 128 bytes).
 */
public final class OracleDialect extends JdbcDialect {

    /** The one instance. */
    public static final OracleDialect INSTANCE = new OracleDialect();

    /** Key text columns: VARCHAR2(1000 CHAR) is at most 4000 bytes, within an 8 KB block's index key limit. */
    public static final String KEY_TEXT = "VARCHAR2(1000 CHAR)";
    private static final int MAX_PRECISION = 38;
    private static final int MAX_VARCHAR = 4000;
    private static final int MAX_CHAR = 2000;

    private OracleDialect() {
    }

    @Override
    public String name() {
        return "oracle";
    }

    @Override
    public List<String> destinationTypes() {
        return List.of("oracle");
    }

    /** @return the URL as given when it starts with {@code jdbc:}, else {@code jdbc:oracle:thin:@//<url>/<db_name>} */
    @Override
    public String jdbcUrl(DestinationSpec spec) {
        if (spec.url().startsWith("jdbc:")) {
            return spec.url();
        }
        return "jdbc:oracle:thin:@//" + spec.url() + "/" + spec.dbName();
    }

    @Override
    protected int maxIdentifierLength() {
        return 128;
    }

    @Override
    public String columnType(PgType type, boolean key) {
        return switch (type.kind()) {
            case BOOLEAN -> "NUMBER(1)";
            case SMALLINT -> "NUMBER(5)";
            case INTEGER -> "NUMBER(10)";
            case BIGINT -> "NUMBER(19)";
            case NUMERIC -> type.precision() < 0 ? "NUMBER" : numericAsText(type) ? text(key)
                    : "NUMBER(" + type.precision() + ", " + type.scale() + ")";
            case REAL -> "BINARY_FLOAT";
            case DOUBLE -> "BINARY_DOUBLE";
            case VARCHAR -> key ? "VARCHAR2(" + Math.min(type.length(), 1000) + " CHAR)"
                    : type.length() <= MAX_VARCHAR ? "VARCHAR2(" + type.length() + " CHAR)" : "CLOB";
            case CHAR -> type.length() <= MAX_CHAR ? "CHAR(" + type.length() + " CHAR)" : text(key);
            case UUID -> "VARCHAR2(36 CHAR)";
            case BYTEA -> "BLOB";
            case DATE -> "DATE";
            case TIMESTAMP -> "TIMESTAMP(" + type.precision() + ")";
            case TIMESTAMPTZ -> "TIMESTAMP(" + type.precision() + ") WITH TIME ZONE";
            case TIME -> "VARCHAR2(15 CHAR)";
            case TIMETZ -> "VARCHAR2(32 CHAR)";
            case INTERVAL -> "VARCHAR2(64 CHAR)";
            default -> text(key);
        };
    }

    /** @return true for numeric(p,s) beyond NUMBER's 38 digits: text, written exactly */
    @Override
    protected boolean numericAsText(PgType type) {
        return type.precision() > MAX_PRECISION;
    }

    private static String text(boolean key) {
        return key ? KEY_TEXT : "CLOB";
    }

    @Override
    protected int nullType(PgType type) {
        return type.kind() == PgType.Kind.BOOLEAN ? Types.NUMERIC : super.nullType(type);
    }

    /** @return nothing: an Oracle schema is a user, which Caravan does not create */
    @Override
    public List<String> createSchema(String schema) {
        return List.of();
    }

    @Override
    public String addColumn(String table, Column column) {
        return "ALTER TABLE " + table + " ADD (" + quote(column.name()) + " "
                + columnType(PgType.parse(column.sqlType()), false) + ")";
    }

    @Override
    public String stageName(String schema, String target) {
        return qualified(schema, derivedName(target, "__caravan_stage"));
    }

    @Override
    public String keyStageName(String schema, String target) {
        return qualified(schema, derivedName(target, "__caravan_keys"));
    }

    /** @return {@code CREATE GLOBAL TEMPORARY TABLE s (cols) ON COMMIT DELETE ROWS} */
    @Override
    public List<String> createStage(String stage, String target, List<Column> columns) {
        String defs = columns.stream().map(c -> columnDefinition(c, false, true)).collect(Collectors.joining(", "));
        return List.of("CREATE GLOBAL TEMPORARY TABLE " + stage + " (" + defs + ") ON COMMIT DELETE ROWS");
    }

    @Override
    public boolean sharedStageDefinition() {
        return true;
    }

    /** @return MERGE updating matched rows (key columns are never updated: Oracle refuses ON columns in SET) */
    @Override
    public String upsertFromStage(String target, String stage, List<Column> columns, List<String> keyColumns) {
        List<Column> values = columns.stream().filter(c -> !keyColumns.contains(c.name())).toList();
        String matched = values.isEmpty() ? "" : " WHEN MATCHED THEN UPDATE SET " + values.stream()
                .map(c -> "t." + quote(c.name()) + " = s." + quote(c.name())).collect(Collectors.joining(", "));
        return merge(target, stage, keyColumns) + matched + notMatched(columns);
    }

    @Override
    public String insertAbsentFromStage(String target, String stage, List<Column> columns, List<String> keyColumns) {
        return merge(target, stage, keyColumns) + notMatched(columns);
    }

    private String merge(String target, String stage, List<String> keyColumns) {
        return "MERGE INTO " + target + " t USING " + stage + " s ON (" + keyJoin("t", "s", keyColumns) + ")";
    }

    private String notMatched(List<Column> columns) {
        return " WHEN NOT MATCHED THEN INSERT (" + columnList(columns) + ") VALUES (" + columnList("s", columns) + ")";
    }

    /** @return DELETE of the target rows (alias {@code t}) whose key is not in the key staging table */
    @Override
    public String deleteAbsentKeys(String target, String keyStage, String key) {
        return "DELETE FROM " + target + " t WHERE NOT EXISTS (SELECT 1 FROM " + keyStage + " ks WHERE ks."
                + quote(KEY_COLUMN) + " = t." + quote(key) + ")";
    }

    /** A null schema is the connecting user's (Oracle keeps unquoted user names in upper case). */
    @Override
    protected String[] metadataScope(DatabaseMetaData md, String schema) throws SQLException {
        return new String[] {null, schema != null ? schema : md.getUserName().toUpperCase(Locale.ROOT)};
    }
}
