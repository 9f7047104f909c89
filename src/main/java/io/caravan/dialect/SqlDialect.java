package io.caravan.dialect;

import io.caravan.batch.Column;

import java.util.List;

/**
 * The only place SQL text is built (STYLE B.3). One implementation per database family; implementations are
 * immutable and thread-safe. Callers pass unquoted identifiers and never concatenate SQL themselves.
 *
 * <p>Implementations: {@link io.caravan.dialect.postgres.PostgresDialect} for the PostgreSQL source and destination,
 * and the subclasses of {@link io.caravan.destination.jdbc.JdbcDialect} (generic SQL, types, staging tables and
 * value binding of the JDBC destinations) in {@code dialect.mysql}, {@code dialect.sqlite}, {@code dialect.h2},
 * {@code dialect.oracle} and {@code dialect.sqlserver}.
 */
public interface SqlDialect {

    /** @return the family name, e.g. {@code postgresql} */
    String name();

    /**
     * @param identifier an unquoted identifier; never null
     * @return the identifier quoted for this database, e.g. {@code "Order Lines"}; by default as the SQL standard
     *         does it ({@link #doubleQuoted})
     */
    default String quote(String identifier) {
        return doubleQuoted(identifier);
    }

    /**
     * @param schema schema; null for the connection's default
     * @param table  table; never null
     * @return the quoted, qualified name: {@code schema.table}, or just the table when {@code schema} is null
     */
    default String qualified(String schema, String table) {
        return schema == null ? quote(table) : quote(schema) + "." + quote(table);
    }

    /**
     * @param identifier an unquoted identifier; never null
     * @return {@code "identifier"} with embedded double quotes doubled (SQL standard delimited identifiers)
     */
    static String doubleQuoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /**
     * @param identifier an unquoted identifier; never null
     * @return {@code `identifier`} with embedded backticks doubled (MySQL and MariaDB)
     */
    static String backQuoted(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    /**
     * @param identifier an unquoted identifier; never null
     * @return {@code [identifier]} with embedded closing brackets doubled (SQL Server)
     */
    static String bracketQuoted(String identifier) {
        return '[' + identifier.replace("]", "]]") + ']';
    }

    /**
     * @param value   text form of the value, as the database prints it; null for SQL NULL
     * @param sqlType the type to cast to, e.g. {@code timestamp with time zone}; never null
     * @return a typed literal, e.g. {@code '2024-05-01 10:00:00+00'::timestamp with time zone}
     */
    String literal(String value, String sqlType);

    /**
     * Builds one statement that writes the rows of {@code stage} into {@code target}, updating rows whose key exists.
     *
     * @param target     qualified target; never null
     * @param stage      qualified staging table with the same column names; never null
     * @param columns    columns to write; never empty
     * @param keyColumns primary key, in key order; never empty
     * @return the statement; it has no placeholders
     */
    String upsertFromStage(String target, String stage, List<Column> columns, List<String> keyColumns);

    /**
     * As {@link #upsertFromStage} but rows whose key exists are left as they are (logging mode).
     *
     * @return the statement; it has no placeholders
     */
    String insertAbsentFromStage(String target, String stage, List<Column> columns, List<String> keyColumns);
}
