package io.caravan.format;

import io.caravan.batch.Column;
import io.caravan.dialect.postgres.PgBinaryCodec;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the row formats treat one column: its kind (by type OID, see {@link AthenaTypes} for the table), the precision
 * and scale of a decimal, and the element type of an array.
 *
 * @param kind      the kind; never null
 * @param precision decimal precision (1..38) for {@link Kind#DECIMAL}, else 0
 * @param scale     decimal scale (0..precision) for {@link Kind#DECIMAL}, else 0
 * @param element   the element type for {@link Kind#LIST}, else null
 */
record ColumnType(Kind kind, int precision, int scale, ColumnType element) {

    /** The largest decimal precision written as a decimal (Athena's and Redshift's limit). */
    static final int MAX_DECIMAL_PRECISION = 38;

    private static final Pattern NUMERIC = Pattern.compile("numeric\\((\\d+)(?:,\\s*(-?\\d+))?\\)(\\[])*");

    /** Kinds of column values, each with one Java type that {@code read()} returns. */
    enum Kind {
        /** bool: Boolean. */
        BOOLEAN,
        /** int2: Short. */
        INT16,
        /** int4: Integer. */
        INT32,
        /** int8, oid: Long. */
        INT64,
        /** float4: Float. */
        FLOAT32,
        /** float8: Double. */
        FLOAT64,
        /** numeric(p,s) with p &lt;= 38: BigDecimal of scale s (Double for NaN/±Infinity where the format holds it). */
        DECIMAL,
        /** numeric without precision, or p &gt; 38: BigDecimal (Parquet: its plain text). */
        NUMERIC_TEXT,
        /** text, varchar, bpchar, name, "char": String. */
        TEXT,
        /** json, jsonb: String holding the JSON text. */
        JSON,
        /** uuid: written as its text; read as String. */
        UUID,
        /** date: LocalDate. */
        DATE,
        /** timestamp without time zone: LocalDateTime. */
        TIMESTAMP,
        /** timestamp with time zone: OffsetDateTime at UTC. */
        TIMESTAMPTZ,
        /** bytea: byte[]. */
        BYTES,
        /** time, timetz, interval and types the codec keeps raw (inet, ...): their PostgreSQL text, read as String. */
        TEXT_FORM,
        /** arrays of the types above: List (one level per dimension; Parquet: one dimension). */
        LIST
    }

    /**
     * @param c a column; never null
     * @return the column's type
     */
    static ColumnType of(Column c) {
        return of(c.typeOid(), c.sqlType());
    }

    private static ColumnType of(int typeOid, String sqlType) {
        int elementOid = PgBinaryCodec.elementOid(typeOid);
        if (elementOid != 0) {
            return new ColumnType(Kind.LIST, 0, 0, of(elementOid, sqlType));
        }
        Kind kind = switch (typeOid) {
            case 16 -> Kind.BOOLEAN;
            case 21 -> Kind.INT16;
            case 23 -> Kind.INT32;
            case 20, 26 -> Kind.INT64;
            case 700 -> Kind.FLOAT32;
            case 701 -> Kind.FLOAT64;
            case 1700 -> Kind.NUMERIC_TEXT;
            case 25, 1043, 1042, 19, 18 -> Kind.TEXT;
            case 114, 3802 -> Kind.JSON;
            case 2950 -> Kind.UUID;
            case 1082 -> Kind.DATE;
            case 1114 -> Kind.TIMESTAMP;
            case 1184 -> Kind.TIMESTAMPTZ;
            case 17 -> Kind.BYTES;
            default -> Kind.TEXT_FORM;
        };
        if (kind == Kind.NUMERIC_TEXT) {
            Matcher m = NUMERIC.matcher(sqlType.toLowerCase(Locale.ROOT).replace(" ", ""));
            if (m.matches()) {
                int precision = Integer.parseInt(m.group(1));
                int scale = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
                if (precision >= 1 && precision <= MAX_DECIMAL_PRECISION && scale >= 0 && scale <= precision) {
                    return new ColumnType(Kind.DECIMAL, precision, scale, null);
                }
            }
        }
        return new ColumnType(kind, 0, 0, null);
    }
}
