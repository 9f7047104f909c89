package io.caravan.destination.jdbc;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL column type as {@code format_type} writes it ({@link io.caravan.batch.Column#sqlType()}), taken apart
 * so that a {@link JdbcDialect} can map it: the kind, and the length, precision and scale the type carries.
 *
 * @param kind      what the type is; {@link Kind#ARRAY} for every array type
 * @param length    {@code n} of {@code character varying(n)} and {@code character(n)}; -1 when not given
 * @param precision {@code p} of {@code numeric(p,s)}, or the fractional-second digits of {@code timestamp(p)},
 *                  {@code time(p)} and their zoned forms (6 when not given); -1 for a numeric without precision
 * @param scale     {@code s} of {@code numeric(p,s)}; 0 when not given, -1 for a numeric without precision
 */
public record PgType(Kind kind, int length, int precision, int scale) {

    /** The kinds of PostgreSQL types the JDBC destinations tell apart. */
    public enum Kind {
        BOOLEAN, SMALLINT, INTEGER, BIGINT, NUMERIC, REAL, DOUBLE, TEXT, VARCHAR, CHAR, UUID, JSON, BYTEA, DATE,
        TIMESTAMP, TIMESTAMPTZ, TIME, TIMETZ, INTERVAL, ARRAY,
        /** Anything else (user-defined types arrive as text; inet, money, ranges, ...): written as its text. */
        OTHER
    }

    private static final Pattern PARAMS = Pattern.compile("^([a-z \"]+)(?:\\((\\d+)(?:,\\s*(\\d+))?\\))?(.*)$");
    /** PostgreSQL's default fractional-second digits of timestamp and time. */
    private static final int MICROS = 6;

    /**
     * @param sqlType {@code format_type} text, e.g. {@code numeric(12,2)}, {@code timestamp(3) with time zone},
     *                {@code character varying(20)[]}; never null
     * @return the parsed type; {@link Kind#OTHER} for types not listed in {@link Kind}
     */
    public static PgType parse(String sqlType) {
        String t = sqlType.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("]")) {
            return new PgType(Kind.ARRAY, -1, -1, -1);
        }
        Matcher m = PARAMS.matcher(t);
        if (!m.matches()) {
            return new PgType(Kind.OTHER, -1, -1, -1);
        }
        String base = (m.group(1) + m.group(4)).trim().replaceAll("\\s+", " ");
        int first = m.group(2) == null ? -1 : Integer.parseInt(m.group(2));
        int second = m.group(3) == null ? -1 : Integer.parseInt(m.group(3));
        int fraction = first < 0 ? MICROS : first;
        return switch (base) {
            case "boolean" -> new PgType(Kind.BOOLEAN, -1, -1, -1);
            case "smallint" -> new PgType(Kind.SMALLINT, -1, -1, -1);
            case "integer" -> new PgType(Kind.INTEGER, -1, -1, -1);
            case "bigint" -> new PgType(Kind.BIGINT, -1, -1, -1);
            case "oid" -> new PgType(Kind.BIGINT, -1, -1, -1);
            case "numeric" -> new PgType(Kind.NUMERIC, -1, first, first < 0 ? -1 : Math.max(second, 0));
            case "real" -> new PgType(Kind.REAL, -1, -1, -1);
            case "double precision" -> new PgType(Kind.DOUBLE, -1, -1, -1);
            case "text", "name", "\"char\"" -> new PgType(Kind.TEXT, -1, -1, -1);
            case "character varying" -> new PgType(first < 0 ? Kind.TEXT : Kind.VARCHAR, first, -1, -1);
            case "character", "bpchar" -> new PgType(first < 0 ? Kind.TEXT : Kind.CHAR, first, -1, -1);
            case "uuid" -> new PgType(Kind.UUID, -1, -1, -1);
            case "json", "jsonb" -> new PgType(Kind.JSON, -1, -1, -1);
            case "bytea" -> new PgType(Kind.BYTEA, -1, -1, -1);
            case "date" -> new PgType(Kind.DATE, -1, -1, -1);
            case "timestamp without time zone", "timestamp" -> new PgType(Kind.TIMESTAMP, -1, fraction, -1);
            case "timestamp with time zone" -> new PgType(Kind.TIMESTAMPTZ, -1, fraction, -1);
            case "time without time zone", "time" -> new PgType(Kind.TIME, -1, fraction, -1);
            case "time with time zone" -> new PgType(Kind.TIMETZ, -1, fraction, -1);
            default -> base.startsWith("interval") ? new PgType(Kind.INTERVAL, -1, -1, -1)
                    : new PgType(Kind.OTHER, -1, -1, -1);
        };
    }
}
