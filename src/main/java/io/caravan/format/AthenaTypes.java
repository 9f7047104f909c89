package io.caravan.format;

import io.caravan.batch.Column;

/**
 * Athena (Hive DDL) column types for {@code CREATE EXTERNAL TABLE ... STORED AS PARQUET}, matching what the Parquet
 * format writes for each source column type:
 *
 * <table>
 *   <caption>PostgreSQL type, Parquet type written, Athena type</caption>
 *   <tr><th>source type (OID)</th><th>Parquet physical type (logical type)</th><th>Athena type</th></tr>
 *   <tr><td>bool (16)</td><td>BOOLEAN</td><td>{@code boolean}</td></tr>
 *   <tr><td>int2 (21)</td><td>INT32 (INT(16, signed))</td><td>{@code smallint}</td></tr>
 *   <tr><td>int4 (23)</td><td>INT32</td><td>{@code int}</td></tr>
 *   <tr><td>int8 (20), oid (26)</td><td>INT64</td><td>{@code bigint}</td></tr>
 *   <tr><td>float4 (700)</td><td>FLOAT</td><td>{@code float}</td></tr>
 *   <tr><td>float8 (701)</td><td>DOUBLE</td><td>{@code double}</td></tr>
 *   <tr><td>numeric(p,s) (1700), p &lt;= 38</td><td>INT32 (p &lt;= 9), INT64 (p &lt;= 18), else
 *       FIXED_LEN_BYTE_ARRAY; DECIMAL(p,s)</td><td>{@code decimal(p,s)}</td></tr>
 *   <tr><td>numeric without precision, or p &gt; 38</td><td>BINARY (STRING), the plain digits</td>
 *       <td>{@code string}</td></tr>
 *   <tr><td>text, varchar, bpchar, name, "char"</td><td>BINARY (STRING)</td><td>{@code string}</td></tr>
 *   <tr><td>json (114), jsonb (3802)</td><td>BINARY (STRING), the JSON text</td><td>{@code string}</td></tr>
 *   <tr><td>uuid (2950)</td><td>BINARY (STRING), {@code 8-4-4-4-12} hex</td><td>{@code string}</td></tr>
 *   <tr><td>date (1082)</td><td>INT32 (DATE)</td><td>{@code date}</td></tr>
 *   <tr><td>timestamp (1114)</td><td>INT64 (TIMESTAMP(MICROS, isAdjustedToUTC=false))</td>
 *       <td>{@code timestamp}</td></tr>
 *   <tr><td>timestamptz (1184)</td><td>INT64 (TIMESTAMP(MICROS, isAdjustedToUTC=true))</td>
 *       <td>{@code timestamp} (Athena has no zone type in DDL; the values are UTC)</td></tr>
 *   <tr><td>bytea (17)</td><td>BINARY</td><td>{@code binary}</td></tr>
 *   <tr><td>time, timetz, interval, inet, cidr, macaddr, other types</td><td>BINARY (STRING), PostgreSQL's text
 *       output</td><td>{@code string}</td></tr>
 *   <tr><td>arrays of the above, e.g. integer[]</td><td>3-level LIST of the element type, elements optional</td>
 *       <td>{@code array<int>}</td></tr>
 * </table>
 *
 * <p>Source: Athena's "Data types in Amazon Athena" and the Parquet format's LogicalTypes.md.
 */
public final class AthenaTypes {

    private AthenaTypes() {
    }

    /**
     * @param c a column of a table shape; never null
     * @return the Athena DDL type of the column as the Parquet format writes it, e.g. {@code decimal(12,2)},
     *         {@code timestamp}, {@code array<int>}
     */
    public static String columnType(Column c) {
        return ddl(ColumnType.of(c));
    }

    private static String ddl(ColumnType t) {
        return switch (t.kind()) {
            case BOOLEAN -> "boolean";
            case INT16 -> "smallint";
            case INT32 -> "int";
            case INT64 -> "bigint";
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
            case DECIMAL -> "decimal(" + t.precision() + "," + t.scale() + ")";
            case DATE -> "date";
            case TIMESTAMP, TIMESTAMPTZ -> "timestamp";
            case BYTES -> "binary";
            case LIST -> "array<" + ddl(t.element()) + ">";
            case NUMERIC_TEXT, TEXT, JSON, UUID, TEXT_FORM -> "string";
        };
    }
}
