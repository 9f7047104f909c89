package io.caravan.source.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.mapping.SourceOptions.FieldType;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The {@code fields} casts of a JSON value (DMS seed, "Topics"): int, float, datetime, bool; a value that will not
 * cast gets the seed's default (int 0, float null, datetime null, bool null). A JSON null stays null.
 * (To be replaced by the shared {@code io.caravan.source.FieldCasts} once it lands on main.)
 */
final class Casts {

    /** Epoch numbers above this are milliseconds, below it seconds (1e11 s is the year 5138). */
    private static final double MILLIS_ABOVE = 1e11;

    private Casts() {
    }

    /** @return the PostgreSQL type a field of {@code type} becomes */
    static String sqlType(FieldType type) {
        return switch (type) {
            case DATETIME -> "timestamp with time zone";
            case BOOL -> "boolean";
            case INT -> "bigint";
            case FLOAT -> "double precision";
        };
    }

    /** @return the type OID of {@link #sqlType} */
    static int typeOid(FieldType type) {
        return switch (type) {
            case DATETIME -> 1184;
            case BOOL -> 16;
            case INT -> 20;
            case FLOAT -> 701;
        };
    }

    /**
     * @param type  the field's type
     * @param value the JSON value; never null (a missing field is not cast)
     * @return Long, Double, Boolean, OffsetDateTime (UTC), or null; {@link #FELL_BACK} when the value would not cast
     */
    static Object cast(FieldType type, JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        try {
            return switch (type) {
                case INT -> value.isNumber() ? Long.valueOf(value.longValue())
                        : value.isBoolean() ? Long.valueOf(value.booleanValue() ? 1 : 0)
                        : Long.valueOf(Long.parseLong(value.asText().trim()));
                case FLOAT -> value.isNumber() ? Double.valueOf(value.doubleValue())
                        : Double.valueOf(Double.parseDouble(value.asText().trim()));
                case BOOL -> bool(value);
                case DATETIME -> datetime(value);
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            return FELL_BACK;
        }
    }

    /** Marks a value that would not cast; see {@link #fallback}. */
    static final Object FELL_BACK = new Object();

    /** @return the seed's default of a value of {@code type} that will not cast */
    static Object fallback(FieldType type) {
        return type == FieldType.INT ? Long.valueOf(0) : null;
    }

    private static Object bool(JsonNode value) {
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            double d = value.doubleValue();
            return d == 1 ? Boolean.TRUE : d == 0 ? Boolean.FALSE : FELL_BACK;
        }
        return switch (value.asText().trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "t", "yes", "y", "1" -> Boolean.TRUE;
            case "false", "f", "no", "n", "0" -> Boolean.FALSE;
            default -> FELL_BACK;
        };
    }

    private static Object datetime(JsonNode value) {
        if (value.isNumber()) {
            double d = value.doubleValue();
            long millis = d > MILLIS_ABOVE ? (long) d : (long) (d * 1000);
            return Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC);
        }
        String text = value.asText().trim().replace(' ', 'T');
        if (text.length() == 10) {
            return LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC);
        }
        try {
            return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(text).atOffset(ZoneOffset.UTC);
        }
    }
}
