package io.caravan.dialect.redshift;

import io.caravan.batch.Column;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Redshift types of one source column: the type of the target column, and the type of the staging column that
 * {@code COPY ... FORMAT AS PARQUET} loads. They differ where the Parquet file holds text that Redshift's COPY cannot
 * put into the target type itself (time, timetz: the merge then casts). The mapping (README, "Redshift"), by
 * PostgreSQL's {@code format_type} text:
 *
 * <table>
 *   <caption>PostgreSQL to Redshift</caption>
 *   <tr><th>PostgreSQL</th><th>target</th><th>staging (Parquet holds)</th></tr>
 *   <tr><td>smallint, integer, bigint, real, double precision, boolean, date</td><td>the same</td>
 *       <td>the same</td></tr>
 *   <tr><td>oid</td><td>BIGINT</td><td>BIGINT</td></tr>
 *   <tr><td>numeric(p,s), p &lt;= 38, 0 &lt;= s &lt;= p</td><td>DECIMAL(p,s)</td><td>DECIMAL(p,s)</td></tr>
 *   <tr><td>numeric, numeric(p,s) with p &gt; 38 or s &lt; 0</td><td>VARCHAR(65535), the exact text</td>
 *       <td>VARCHAR(65535)</td></tr>
 *   <tr><td>timestamp[(n)] without time zone</td><td>TIMESTAMP</td><td>TIMESTAMP</td></tr>
 *   <tr><td>timestamp[(n)] with time zone</td><td>TIMESTAMPTZ</td><td>TIMESTAMPTZ</td></tr>
 *   <tr><td>time[(n)] without time zone</td><td>TIME</td><td>VARCHAR(64), cast by the merge</td></tr>
 *   <tr><td>time[(n)] with time zone</td><td>TIMETZ</td><td>VARCHAR(64), cast by the merge</td></tr>
 *   <tr><td>character varying(n), character(n)</td><td>VARCHAR(min(4n, 65535)): Redshift counts bytes, UTF-8
 *       needs up to 4 per character; Redshift's CHAR holds single-byte characters only</td><td>the same</td></tr>
 *   <tr><td>text, character varying, and every other type (interval, inet, money, xml, ...)</td>
 *       <td>VARCHAR(65535), PostgreSQL's text form</td><td>VARCHAR(65535)</td></tr>
 *   <tr><td>json, jsonb</td><td>VARCHAR(65535), the JSON text (query it with JSON_PARSE or JSON_EXTRACT_PATH_TEXT):
 *       a Parquet string COPY loads into SUPER stays one string scalar</td><td>VARCHAR(65535)</td></tr>
 *   <tr><td>uuid</td><td>CHAR(36)</td><td>CHAR(36)</td></tr>
 *   <tr><td>bytea</td><td>VARBYTE(1024000), Redshift's largest</td><td>VARBYTE(1024000)</td></tr>
 *   <tr><td>arrays (any element type)</td><td>SUPER</td><td>SUPER (COPY ... SERIALIZETOJSON)</td></tr>
 * </table>
 *
 * <p>Values longer than the Redshift type holds (text above 65535 bytes) fail the batch's COPY; nothing is cut.
 * Reference: Amazon Redshift Database Developer Guide, "Data types" and "COPY from columnar data formats".
 *
 * @param target the target column's type, e.g. {@code DECIMAL(12,2)}; never null
 * @param stage  the staging column's type; never null
 */
public record RedshiftType(String target, String stage) {

    /** Redshift's longest VARCHAR, in bytes. */
    public static final int MAX_VARCHAR_BYTES = 65535;
    /** Redshift's largest DECIMAL precision. */
    public static final int MAX_DECIMAL_PRECISION = 38;

    private static final String TEXT = "VARCHAR(" + MAX_VARCHAR_BYTES + ")";
    private static final Pattern NUMERIC = Pattern.compile("numeric\\((\\d+),(-?\\d+)\\)");
    private static final Pattern CHARACTERS = Pattern.compile("character(?: varying)?\\((\\d+)\\)");

    /**
     * @param column a source column; never null
     * @return its Redshift types
     */
    public static RedshiftType of(Column column) {
        return of(column.sqlType());
    }

    /**
     * @param sqlType a type as PostgreSQL's {@code format_type} writes it; never null
     * @return its Redshift types (see the table)
     */
    public static RedshiftType of(String sqlType) {
        String t = sqlType.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("[]")) {
            return same("SUPER");
        }
        if (t.startsWith("timestamp")) {
            return same(t.endsWith("with time zone") && !t.endsWith("without time zone") ? "TIMESTAMPTZ" : "TIMESTAMP");
        }
        if (t.startsWith("time")) {
            boolean zoned = t.endsWith("with time zone") && !t.endsWith("without time zone");
            return new RedshiftType(zoned ? "TIMETZ" : "TIME", "VARCHAR(64)");
        }
        Matcher numeric = NUMERIC.matcher(t.replace(" ", ""));
        if (numeric.matches()) {
            int precision = Integer.parseInt(numeric.group(1));
            int scale = Integer.parseInt(numeric.group(2));
            boolean fits = precision <= MAX_DECIMAL_PRECISION && scale >= 0 && scale <= precision;
            return same(fits ? "DECIMAL(" + precision + "," + scale + ")" : TEXT);
        }
        Matcher chars = CHARACTERS.matcher(t);
        if (chars.matches()) {
            long bytes = Math.min(4L * Long.parseLong(chars.group(1)), MAX_VARCHAR_BYTES);
            return same("VARCHAR(" + bytes + ")");
        }
        return same(switch (t) {
            case "smallint" -> "SMALLINT";
            case "integer" -> "INTEGER";
            case "bigint", "oid" -> "BIGINT";
            case "real" -> "REAL";
            case "double precision" -> "DOUBLE PRECISION";
            case "boolean" -> "BOOLEAN";
            case "date" -> "DATE";
            case "uuid" -> "CHAR(36)";
            case "bytea" -> "VARBYTE(1024000)";
            default -> TEXT;
        });
    }

    private static RedshiftType same(String type) {
        return new RedshiftType(type, type);
    }

    /** @return true when the merge casts the staged value to the target type */
    public boolean castOnMerge() {
        return !target.equals(stage);
    }
}
