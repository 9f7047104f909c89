package io.caravan.source.jdbc;

import io.caravan.destination.jdbc.PgType;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.UUID;

/**
 * The PostgreSQL type of each relational source column (the README's "Relational sources" table), taking pgloader's
 * default MySQL cast rules as the reference (pgloader's manual, "MySQL to PostgreSQL casting rules"):
 * {@code tinyint(1)} and {@code bit(1)} to boolean, unsigned types to the next wider type ({@code bigint unsigned} to
 * {@code numeric(20)}), {@code datetime} to timestamp, MySQL's {@code timestamp} to timestamptz, {@code year} to
 * integer, {@code enum} and {@code set} to text, blobs to bytea, zero dates to NULL (the driver reads them as NULL),
 * {@code json} to json (pgloader has no rule for it, so MySQL's type passes through; its text stays as the source
 * holds it, which is the DMS seed's {@code strict}: JSON kept intact; jsonb, which PostgreSQL parses into a tree on
 * the way in, is a {@code casts:} entry away).
 * Where pgloader differs (it makes {@code datetime} a timestamptz, {@code enum} a PostgreSQL enum type and
 * {@code set} a text[]) this follows the rules. The other databases' types map by the same logic.
 * Stateless.
 */
public final class SourceTypes {

    private SourceTypes() {
    }

    /** A value read from a result set, as the Java type {@code PgBinaryCodec.decode} gives for the column's type. */
    @FunctionalInterface
    public interface Reader {
        /** @return the value; null for SQL NULL */
        Object read(ResultSet rs, int index) throws SQLException;
    }

    /**
     * Writes a value from a result set straight into binary COPY tuples, without making the Java value
     * {@link Reader} gives.
     */
    @FunctionalInterface
    interface FieldWriter {
        /**
         * @return true when the field was written; false, having written nothing, when the value must take the
         *         {@link Reader} path (a text the writer does not recognise, such as MySQL's zero dates)
         */
        boolean write(ResultSet rs, int index, BinaryTuples out) throws SQLException;
    }

    /**
     * How a column is written from its text.
     *
     * @param writer     writes the field
     * @param selectText true when the column is selected as text ({@link SourceDialect#asText}), so that the
     *                   writer reads the server's text with {@code getBytes}
     */
    record TextField(FieldWriter writer, boolean selectText) {
    }

    /**
     * @param oid        the column's PostgreSQL type OID as read
     * @param naturalOid the OID of the type the column maps to without a cast
     * @return for a column whose {@link SourceDialect#textValues} holds, how to write it from the value's text, read
     *         with {@code getBytes}: character types and json from their UTF-8 bytes (when the column holds
     *         characters: its own type is one of them or uuid), uuid from its text, numeric, date, timestamp and
     *         timestamptz from the text of the column selected as text (MySQL's zero dates, {@code 0000-00-00}, as
     *         NULL, as the driver reads them); null for other types (the value takes the {@link Reader} path)
     */
    static TextField writer(int oid, int naturalOid) {
        return switch (oid) {
            case 25, 1043, 1042, 114, 3802 -> switch (naturalOid) {
                case 25, 1043, 1042, 114, 3802, 2950 -> new TextField((rs, i, out) -> {
                    out.textBytes(oid, rs.getBytes(i));
                    return true;
                }, false);
                default -> null;
            };
            case 1700 -> new TextField((rs, i, out) -> ascii(rs.getBytes(i), out, out::numericText), true);
            case 2950 -> new TextField((rs, i, out) -> ascii(rs.getBytes(i), out, out::uuidText), false);
            case 1082 -> switch (naturalOid) {
                case 1082, 1114, 1184 -> new TextField((rs, i, out) -> temporal(rs.getBytes(i), out, out::dateText),
                        true);
                default -> null;
            };
            case 1114, 1184 -> switch (naturalOid) {
                case 1082, 1114, 1184 -> new TextField((rs, i, out) -> temporal(rs.getBytes(i), out,
                        out::timestampText), true);
                default -> null;
            };
            default -> null;
        };
    }

    /** Writes a date or timestamp from its ASCII text; a zero date as NULL. */
    private static boolean temporal(byte[] ascii, BinaryTuples out, java.util.function.Predicate<byte[]> write) {
        if (ascii(ascii, out, write)) {
            return true;
        }
        if (isZeroDate(ascii)) {
            out.field(0, null);
            return true;
        }
        return false;
    }

    /** @return true for MySQL's zero date and zero datetimes: {@code 0000-00-00} followed by zero digits only */
    private static boolean isZeroDate(byte[] ascii) {
        if (ascii.length < 10) {
            return false;
        }
        for (int i = 0; i < ascii.length; i++) {
            byte c = ascii[i];
            if ((i < 10 && c != (i == 4 || i == 7 ? '-' : '0')) || (c >= '1' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    /** Writes NULL for a null text, else the field {@code write} makes of the text (false when it refuses it). */
    private static boolean ascii(byte[] ascii, BinaryTuples out, java.util.function.Predicate<byte[]> write) {
        if (ascii == null) {
            out.field(0, null);
            return true;
        }
        return write.test(ascii);
    }

    /**
     * @param column a source column; never null
     * @return its PostgreSQL type ({@code format_type} text, e.g. {@code numeric(20,0)}); {@code text} for types
     *         without a rule
     */
    public static String pgType(SourceColumn column) {
        String type = base(column.type());
        String full = column.fullType();
        boolean unsigned = full.contains("unsigned");
        int p = column.precision();
        int s = Math.max(0, column.scale());
        return switch (type) {
            case "bool", "boolean" -> "boolean";
            case "tinyint" -> full.startsWith("tinyint(1)") && !unsigned ? "boolean" : "smallint";
            case "bit" -> full.equals("bit") || full.equals("bit(1)") || p == 1 ? "boolean" : "bigint";
            case "smallint", "int2" -> unsigned ? "integer" : "smallint";
            case "mediumint" -> "integer";
            case "int", "integer", "int4" -> unsigned ? "bigint" : "integer";
            case "bigint", "int8" -> unsigned ? "numeric(20,0)" : "bigint";
            case "decimal", "numeric", "dec", "fixed", "number" -> p > 0 && p <= 1000 ? "numeric(" + p + "," + s + ")"
                    : "numeric";
            case "money" -> "numeric(19,4)";
            case "smallmoney" -> "numeric(10,4)";
            case "float" -> p > 24 ? "double precision" : "real";
            case "real", "float4", "binary_float" -> "real";
            case "double", "double precision", "float8", "binary_double", "decfloat" -> "double precision";
            case "char", "nchar", "character", "national char", "national character" ->
                    column.length() > 0 && column.length() <= 10_485_760 ? "character(" + column.length() + ")"
                            : "text";
            case "varchar", "nvarchar", "varchar2", "nvarchar2", "character varying", "national character varying",
                 "varchar_ignorecase" -> column.length() > 0 && column.length() <= 10_485_760
                    ? "character varying(" + column.length() + ")" : "text";
            case "json" -> "json";
            case "uuid", "uniqueidentifier" -> "uuid";
            case "binary", "varbinary", "blob", "tinyblob", "mediumblob", "longblob", "image", "raw", "long raw",
                 "bytea", "binary varying", "binary large object", "varbinary(max)" -> "bytea";
            case "date" -> "date";
            case "datetime", "datetime2", "smalldatetime", "timestamp", "timestamp without time zone" ->
                    "timestamp without time zone";
            case "timestamp with time zone", "datetimeoffset", "timestamp with local time zone" ->
                    "timestamp with time zone";
            case "time", "time without time zone" -> "time without time zone";
            case "time with time zone" -> "time with time zone";
            case "year" -> "integer";
            default -> byJdbcType(column.jdbcType());
        };
    }

    /** @return the type name without its {@code (n)} parts, spaces collapsed: {@code timestamp with time zone} */
    static String base(String type) {
        return type.toLowerCase(Locale.ROOT).replaceAll("\\([^)]*\\)", "").replaceAll("\\s+", " ").trim();
    }

    private static String byJdbcType(int jdbcType) {
        return switch (jdbcType) {
            case Types.BOOLEAN -> "boolean";
            case Types.TINYINT, Types.SMALLINT -> "smallint";
            case Types.INTEGER -> "integer";
            case Types.BIGINT -> "bigint";
            case Types.DECIMAL, Types.NUMERIC -> "numeric";
            case Types.REAL -> "real";
            case Types.FLOAT, Types.DOUBLE -> "double precision";
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> "bytea";
            case Types.DATE -> "date";
            case Types.TIMESTAMP -> "timestamp without time zone";
            case Types.TIMESTAMP_WITH_TIMEZONE -> "timestamp with time zone";
            case Types.TIME -> "time without time zone";
            default -> "text";
        };
    }

    /**
     * The PostgreSQL spelling of a type named in {@code casts}: aliases such as {@code int}, {@code int8},
     * {@code float8}, {@code bool}, {@code varchar(n)}, {@code char(n)}, {@code decimal(p,s)}, {@code timestamp},
     * {@code timestamptz} become {@code format_type} text.
     *
     * @param type a type as written in a mapping; never null
     * @return the {@code format_type} text
     * @throws IllegalArgumentException for a type a relational source cannot be cast to (arrays, user types)
     */
    public static String canonical(String type) {
        String t = type.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        String args = t.contains("(") ? t.substring(t.indexOf('(')).replace(" ", "") : "";
        String name = t.contains("(") ? t.substring(0, t.indexOf('(')).trim() : t;
        String out = switch (name) {
            case "int", "int4", "integer" -> "integer";
            case "int2", "smallint" -> "smallint";
            case "int8", "bigint" -> "bigint";
            case "bool", "boolean" -> "boolean";
            case "float4", "real" -> "real";
            case "float8", "float", "double", "double precision" -> "double precision";
            case "decimal", "numeric" -> "numeric" + args;
            case "varchar", "character varying" -> "character varying" + args;
            case "char", "character", "bpchar" -> "character" + args;
            case "timestamp", "timestamp without time zone" -> "timestamp without time zone";
            case "timestamptz", "timestamp with time zone" -> "timestamp with time zone";
            case "time", "time without time zone" -> "time without time zone";
            case "timetz", "time with time zone" -> "time with time zone";
            case "text", "uuid", "json", "jsonb", "bytea", "date", "interval" -> name;
            default -> null;
        };
        if (out == null) {
            throw new IllegalArgumentException("cannot cast to " + type + "; cast to one of boolean, smallint, integer,"
                    + " bigint, numeric(p,s), real, double precision, text, varchar(n), char(n), uuid, json, jsonb,"
                    + " bytea, date, timestamp, timestamptz, time, timetz, interval");
        }
        return out;
    }

    /**
     * @param sqlType a {@code format_type} text this class produces
     * @return its type OID
     */
    public static int oid(String sqlType) {
        if (sqlType.equals("json")) {
            return 114;
        }
        if (sqlType.equals("jsonb")) {
            return 3802;
        }
        return switch (PgType.parse(sqlType).kind()) {
            case BOOLEAN -> 16;
            case SMALLINT -> 21;
            case INTEGER -> 23;
            case BIGINT -> 20;
            case NUMERIC -> 1700;
            case REAL -> 700;
            case DOUBLE -> 701;
            case VARCHAR -> 1043;
            case CHAR -> 1042;
            case UUID -> 2950;
            case BYTEA -> 17;
            case DATE -> 1082;
            case TIMESTAMP -> 1114;
            case TIMESTAMPTZ -> 1184;
            case TIME -> 1083;
            case TIMETZ -> 1266;
            case INTERVAL -> 1186;
            default -> 25;
        };
    }

    /**
     * @param dialect the source's dialect
     * @param sqlType the column's PostgreSQL type as read ({@code format_type} text)
     * @param utcLocal true when a timestamptz is to be read as a UTC timestamp ({@code strict: false})
     * @return how a value of the column is read into the Java type of its PostgreSQL type
     */
    public static Reader reader(SourceDialect dialect, String sqlType, boolean utcLocal) {
        return switch (PgType.parse(sqlType).kind()) {
            case BOOLEAN -> (rs, i) -> {
                boolean v = rs.getBoolean(i);
                return rs.wasNull() ? null : v;
            };
            case SMALLINT -> (rs, i) -> {
                short v = rs.getShort(i);
                return rs.wasNull() ? null : v;
            };
            case INTEGER -> (rs, i) -> {
                int v = rs.getInt(i);
                return rs.wasNull() ? null : v;
            };
            case BIGINT -> (rs, i) -> {
                long v = rs.getLong(i);
                return rs.wasNull() ? null : v;
            };
            case NUMERIC -> (rs, i) -> rs.getBigDecimal(i);
            case REAL -> (rs, i) -> {
                float v = rs.getFloat(i);
                return rs.wasNull() ? null : v;
            };
            case DOUBLE -> (rs, i) -> {
                double v = rs.getDouble(i);
                return rs.wasNull() ? null : v;
            };
            case UUID -> (rs, i) -> {
                String v = rs.getString(i);
                return v == null ? null : UUID.fromString(v.trim());
            };
            case BYTEA -> (rs, i) -> rs.getBytes(i);
            case DATE -> (rs, i) -> dialect.readTemporal(rs, i, LocalDate.class);
            case TIMESTAMP -> (rs, i) -> dialect.readTemporal(rs, i, LocalDateTime.class);
            case TIME -> (rs, i) -> dialect.readTemporal(rs, i, LocalTime.class);
            case TIMESTAMPTZ -> utcLocal ? (rs, i) -> {
                OffsetDateTime t = dialect.readTimestamptz(rs, i);
                return t == null ? null : t.toLocalDateTime();
            } : dialect::readTimestamptz;
            default -> (rs, i) -> rs.getString(i);
        };
    }
}
