package io.caravan.source;

import io.caravan.batch.Column;
import io.caravan.mapping.SourceOptions.FieldType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code fields} casts of schemaless sources (MongoDB collections, Kafka topics, HTTP APIs): a declared field is
 * cast to {@code datetime}, {@code bool}, {@code int} or {@code float}; a value that will not cast gets the seed's
 * default (DMS seed, "Collections": int {@code 0}, float, datetime and bool null) and is counted as a fallback.
 * Every field not declared is a string; how a source turns such a value into text is the source's business.
 *
 * <p>Rules (the value is a Java value as a driver or JSON parser gives it):
 * <ul>
 *   <li>null (a missing field or a JSON/BSON null) stays null for every type and is not a fallback: there was
 *       nothing to cast.</li>
 *   <li>{@code int} to {@link Long}: integral numbers in the range of {@code bigint}; other finite numbers truncated
 *       toward zero (as Python's {@code int()}); booleans 1/0; text holding such a number (surrounding blanks
 *       ignored). Anything else, NaN, infinities and numbers outside bigint fall back to {@code 0L}.</li>
 *   <li>{@code float} to {@link Double}: numbers; booleans 1.0/0.0; text holding a number
 *       ({@link Double#parseDouble}). Anything else falls back to null.</li>
 *   <li>{@code bool} to {@link Boolean}: booleans; the numbers 0 and 1; text PostgreSQL's {@code boolean} input
 *       accepts ({@code true/false, t/f, yes/no, y/n, on/off, 1/0}, case-insensitive; PostgreSQL documentation,
 *       "Boolean Type"). Anything else falls back to null.</li>
 *   <li>{@code datetime} to {@link OffsetDateTime} in UTC ({@code timestamptz}): {@link Date}, {@link Instant},
 *       {@link OffsetDateTime}, {@link ZonedDateTime}; {@link LocalDateTime} and {@link LocalDate} read as UTC;
 *       text in ISO-8601 with or without an offset ({@code 2024-05-01T10:00:00Z}, {@code 2024-05-01 10:00:00.5+02},
 *       {@code 2024-05-01T10:00}, {@code 2024-05-01}), a text without an offset read as UTC. Numbers are refused
 *       (seconds or milliseconds since the epoch cannot be told apart) and fall back to null, like other values.</li>
 * </ul>
 *
 * <p>One instance serves one run: {@link #apply} casts and counts fallbacks per field; it is safe to use from
 * several threads.
 */
public final class FieldCasts {

    /** PostgreSQL's boolean input words (documentation, "Boolean Type"), lower case. */
    private static final Set<String> TRUE_WORDS = Set.of("true", "t", "yes", "y", "on", "1");
    private static final Set<String> FALSE_WORDS = Set.of("false", "f", "no", "n", "off", "0");
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private final Map<String, FieldType> fields;
    private final Map<String, LongAdder> fallbacks = new ConcurrentHashMap<>();

    /**
     * @param fields the {@code fields} of a table entry: field name to type; never null, may be empty
     */
    public FieldCasts(Map<String, FieldType> fields) {
        this.fields = Map.copyOf(fields);
    }

    /**
     * @param field a top-level field name
     * @return the declared type, or null when the field is not declared (a string)
     */
    public FieldType typeOf(String field) {
        return fields.get(field);
    }

    /** @return the declared fields: name to type; never null, unmodifiable */
    public Map<String, FieldType> fields() {
        return fields;
    }

    /**
     * Casts a declared field's value, counting a fallback to the seed's default.
     *
     * @param field a top-level field name
     * @param value the value as read; may be null
     * @return the cast value (Long, Double, Boolean, OffsetDateTime in UTC, or null), or {@code value} unchanged
     *         when the field is not declared
     */
    public Object apply(String field, Object value) {
        FieldType type = fields.get(field);
        if (type == null || value == null) {
            return value;
        }
        Object cast = tryCast(type, value);
        if (cast == null) {
            fallbacks.computeIfAbsent(field, f -> new LongAdder()).increment();
            return fallback(type);
        }
        return cast;
    }

    /** @return the number of values that fell back to the seed's default so far, over all fields */
    public long fallbackCount() {
        return fallbacks.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** @return field name to the number of values of it that fell back, sorted by name; never null */
    public Map<String, Long> fallbacksByField() {
        Map<String, Long> out = new TreeMap<>();
        fallbacks.forEach((f, n) -> out.put(f, n.sum()));
        return out;
    }

    /**
     * Casts one value without counting.
     *
     * @param type  the target type; never null
     * @param value the value; may be null
     * @return the cast value, or the seed's default for {@code type} when it will not cast; null for a null value
     */
    public static Object cast(FieldType type, Object value) {
        if (value == null) {
            return null;
        }
        Object cast = tryCast(type, value);
        return cast == null ? fallback(type) : cast;
    }

    /**
     * @param type a field type
     * @return the seed's default when a value will not cast: {@code 0L} for int, null for the others
     */
    public static Object fallback(FieldType type) {
        return type == FieldType.INT ? Long.valueOf(0L) : null;
    }

    /**
     * @param name the column name
     * @param type a field type
     * @return the destination column of a declared field: int {@code bigint}, float {@code double precision},
     *         bool {@code boolean}, datetime {@code timestamp with time zone}; nullable
     */
    public static Column column(String name, FieldType type) {
        return switch (type) {
            case INT -> new Column(name, "bigint", 20, false);
            case FLOAT -> new Column(name, "double precision", 701, false);
            case BOOL -> new Column(name, "boolean", 16, false);
            case DATETIME -> new Column(name, "timestamp with time zone", 1184, false);
        };
    }

    /**
     * Reads a timestamp from text, as {@code datetime} casts and {@code improper_bookmarks} do.
     *
     * @param text ISO-8601 date, date-time or date-time with offset; {@code T} or a blank between date and time
     * @return the instant in UTC, or null when the text is not such a timestamp
     */
    public static OffsetDateTime parseTimestamp(String text) {
        String s = text.strip();
        if (s.length() > 10 && s.charAt(10) == ' ') {
            s = s.substring(0, 10) + 'T' + s.substring(11);
        }
        try {
            if (s.length() <= 10) {
                return LocalDate.parse(s).atStartOfDay().atOffset(ZoneOffset.UTC);
            }
            if (s.endsWith("Z") || s.endsWith("z") || hasOffset(s)) {
                return OffsetDateTime.parse(normalizeOffset(s), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .withOffsetSameInstant(ZoneOffset.UTC);
            }
            return LocalDateTime.parse(s).atOffset(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static boolean hasOffset(String s) {
        int t = s.indexOf('T');
        return t > 0 && (s.indexOf('+', t) > 0 || s.indexOf('-', t) > 0);
    }

    /** {@code +02} and {@code +0200} become {@code +02:00}, which ISO_OFFSET_DATE_TIME reads. */
    private static String normalizeOffset(String s) {
        if (s.endsWith("z")) {
            return s.substring(0, s.length() - 1) + 'Z';
        }
        int t = s.indexOf('T');
        int sign = Math.max(s.indexOf('+', t), s.indexOf('-', t));
        if (sign < 0) {
            return s;
        }
        String off = s.substring(sign + 1);
        if (off.length() == 2) {
            off = off + ":00";
        } else if (off.length() == 4 && off.indexOf(':') < 0) {
            off = off.substring(0, 2) + ':' + off.substring(2);
        }
        return s.substring(0, sign + 1) + off;
    }

    /** @return the cast value, or null when it will not cast */
    private static Object tryCast(FieldType type, Object value) {
        return switch (type) {
            case INT -> toLong(value);
            case FLOAT -> toDouble(value);
            case BOOL -> toBool(value);
            case DATETIME -> toTimestamp(value);
        };
    }

    private static Long toLong(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        BigDecimal d;
        if (v instanceof BigDecimal bd) {
            d = bd;
        } else if (v instanceof BigInteger bi) {
            d = new BigDecimal(bi);
        } else if (v instanceof Double || v instanceof Float) {
            double x = ((Number) v).doubleValue();
            if (!Double.isFinite(x)) {
                return null;
            }
            d = BigDecimal.valueOf(x);
        } else if (v instanceof CharSequence cs) {
            try {
                d = new BigDecimal(cs.toString().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        } else {
            return null;
        }
        BigDecimal whole = d.setScale(0, java.math.RoundingMode.DOWN);
        if (whole.compareTo(LONG_MIN) < 0 || whole.compareTo(LONG_MAX) > 0) {
            return null;
        }
        return whole.longValueExact();
    }

    private static Double toDouble(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (v instanceof CharSequence cs) {
            try {
                return Double.parseDouble(cs.toString().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Boolean toBool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            double x = n.doubleValue();
            return x == 0 ? Boolean.FALSE : x == 1 ? Boolean.TRUE : null;
        }
        if (v instanceof CharSequence cs) {
            String s = cs.toString().strip().toLowerCase(Locale.ROOT);
            return TRUE_WORDS.contains(s) ? Boolean.TRUE : FALSE_WORDS.contains(s) ? Boolean.FALSE : null;
        }
        return null;
    }

    private static OffsetDateTime toTimestamp(Object v) {
        if (v instanceof Date d) {
            return d.toInstant().atOffset(ZoneOffset.UTC);
        }
        if (v instanceof Instant i) {
            return i.atOffset(ZoneOffset.UTC);
        }
        if (v instanceof OffsetDateTime o) {
            return o.withOffsetSameInstant(ZoneOffset.UTC);
        }
        if (v instanceof ZonedDateTime z) {
            return z.toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
        }
        if (v instanceof LocalDateTime l) {
            return l.atOffset(ZoneOffset.UTC);
        }
        if (v instanceof LocalDate l) {
            return l.atStartOfDay().atOffset(ZoneOffset.UTC);
        }
        if (v instanceof CharSequence cs) {
            return parseTimestamp(cs.toString());
        }
        return null;
    }
}
