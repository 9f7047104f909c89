package io.caravan.dialect.postgres;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Writes values in PostgreSQL's text input form, for {@link PgBinaryCodec#toText}; stateless. */
final class PgTextForm {

    private static final HexFormat HEX = HexFormat.of();

    private PgTextForm() {
    }

    /**
     * Appends the text input form of a non-null value, as {@link PgBinaryCodec#toText} documents.
     *
     * @throws IllegalArgumentException for a {@link PgRaw} or an unsupported Java type
     */
    static void appendText(StringBuilder sb, Object value) {
        if (value instanceof String || value instanceof Character || value instanceof UUID) {
            sb.append(value);
        } else if (value instanceof Boolean b) {
            sb.append(b ? 't' : 'f');
        } else if (value instanceof BigDecimal d) {
            sb.append(d.toPlainString());
        } else if (value instanceof Double || value instanceof Float) {
            appendFloat(sb, ((Number) value).doubleValue(), value.toString());
        } else if (value instanceof Number) {
            sb.append(value); // Integer, Long, Short, Byte, BigInteger, AtomicLong: plain digits
        } else if (value instanceof byte[] bytes) {
            sb.append("\\x").append(HEX.formatHex(bytes));
        } else if (value instanceof List<?> list) {
            appendArray(sb, list);
        } else if (value instanceof Object[] array) {
            appendArray(sb, Arrays.asList(array));
        } else if (value instanceof Map<?, ?> map) {
            appendJsonObject(sb, map);
        } else if (value instanceof Duration || value instanceof Period) {
            sb.append(value);
        } else if (value instanceof PgRaw raw) {
            throw new IllegalArgumentException("no text form for a raw value of type OID " + raw.typeOid()
                    + ": the codec does not decode that type");
        } else if (!appendTemporal(sb, value)) {
            throw new IllegalArgumentException("no PostgreSQL text form for " + value.getClass().getName()
                    + "; use a String, Number, Boolean, UUID, java.time value, byte[], List or Map");
        }
    }

    private static void appendFloat(StringBuilder sb, double d, String javaText) {
        if (Double.isNaN(d)) {
            sb.append("NaN");
        } else if (Double.isInfinite(d)) {
            sb.append(d > 0 ? "Infinity" : "-Infinity");
        } else {
            sb.append(javaText);
        }
    }

    /** @return false when {@code value} is not a java.time type this codec writes */
    private static boolean appendTemporal(StringBuilder sb, Object value) {
        if (value instanceof LocalDate d) {
            appendInfinityOr(sb, d.equals(LocalDate.MAX), d.equals(LocalDate.MIN), () -> appendDate(sb, d, ""));
        } else if (value instanceof LocalDateTime t) {
            appendInfinityOr(sb, t.equals(LocalDateTime.MAX), t.equals(LocalDateTime.MIN),
                    () -> appendDate(sb, t.toLocalDate(), " " + timeText(t.toLocalTime())));
        } else if (value instanceof OffsetDateTime t) {
            appendInfinityOr(sb, t.equals(OffsetDateTime.MAX), t.equals(OffsetDateTime.MIN),
                    () -> appendDate(sb, t.toLocalDate(), " " + timeText(t.toLocalTime()) + offsetText(t.getOffset())));
        } else if (value instanceof ZonedDateTime t) {
            appendTemporal(sb, t.toOffsetDateTime());
        } else if (value instanceof Instant t) {
            appendTemporal(sb, t.atOffset(ZoneOffset.UTC));
        } else if (value instanceof LocalTime t) {
            sb.append(timeText(t));
        } else if (value instanceof OffsetTime t) {
            sb.append(timeText(t.toLocalTime())).append(offsetText(t.getOffset()));
        } else {
            return false;
        }
        return true;
    }

    private static void appendInfinityOr(StringBuilder sb, boolean isMax, boolean isMin, Runnable finite) {
        if (isMax) {
            sb.append("infinity");
        } else if (isMin) {
            sb.append("-infinity");
        } else {
            finite.run();
        }
    }

    /** {@code 2024-02-29}, {@code 12345-01-01}, {@code 0044-03-15 BC}; {@code middle} goes before the era. */
    private static void appendDate(StringBuilder sb, LocalDate d, String middle) {
        int year = d.getYear();
        boolean bc = year <= 0;
        pad(sb, bc ? 1 - year : year, 4).append('-');
        pad(sb, d.getMonthValue(), 2).append('-');
        pad(sb, d.getDayOfMonth(), 2).append(middle);
        if (bc) {
            sb.append(" BC");
        }
    }

    /** {@code 13:05:09}, {@code 13:05:09.000123}; {@link LocalTime#MAX} is {@code 24:00:00}. */
    private static String timeText(LocalTime t) {
        if (t.equals(LocalTime.MAX)) {
            return "24:00:00";
        }
        StringBuilder sb = new StringBuilder(15);
        pad(sb, t.getHour(), 2).append(':');
        pad(sb, t.getMinute(), 2).append(':');
        pad(sb, t.getSecond(), 2);
        appendFraction(sb, t.getNano());
        return sb.toString();
    }

    /** Appends {@code .ffffff} (or 9 digits when below microseconds), trailing zeros trimmed; nothing for 0. */
    static void appendFraction(StringBuilder sb, int nanos) {
        if (nanos == 0) {
            return;
        }
        String digits = String.valueOf(1_000_000_000 + nanos).substring(1);
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        sb.append('.').append(digits, 0, end);
    }

    /** {@code +00}, {@code -05:30}, {@code +05:30:15}. */
    private static String offsetText(ZoneOffset offset) {
        int total = offset.getTotalSeconds();
        int abs = Math.abs(total);
        StringBuilder sb = new StringBuilder(9).append(total < 0 ? '-' : '+');
        pad(sb, abs / 3600, 2);
        if (abs % 3600 != 0) {
            pad(sb.append(':'), abs / 60 % 60, 2);
            if (abs % 60 != 0) {
                pad(sb.append(':'), abs % 60, 2);
            }
        }
        return sb.toString();
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }

    /** An array literal: {@code {1,NULL,"a b","q\"uote"}}, {@code {{1,2},{3,4}}}. */
    private static void appendArray(StringBuilder sb, List<?> list) {
        sb.append('{');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object element = list.get(i);
            if (element == null) {
                sb.append("NULL");
            } else if (element instanceof List<?> || element instanceof Object[]) {
                appendText(sb, element);
            } else {
                appendArrayElement(sb, PgBinaryCodec.toText(element));
            }
        }
        sb.append('}');
    }

    private static void appendArrayElement(StringBuilder sb, String text) {
        if (!needsQuotes(text)) {
            sb.append(text);
            return;
        }
        sb.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        sb.append('"');
    }

    /** The rule of PostgreSQL's array_out: quote empty strings, NULL, and text with delimiters or whitespace. */
    private static boolean needsQuotes(String text) {
        if (text.isEmpty() || text.equalsIgnoreCase("NULL")) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{' || c == '}' || c == ',' || c == '"' || c == '\\' || c == ' ' || c == '\t'
                    || c == '\n' || c == '\r' || c == '\u000B' || c == '\f') {
                return true;
            }
        }
        return false;
    }

    // ---- JSON --------------------------------------------------------------------------------------------------

    private static void appendJsonObject(StringBuilder sb, Map<?, ?> map) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getKey() == null) {
                throw new IllegalArgumentException("a JSON object key is null, in map " + map);
            }
            if (!first) {
                sb.append(", ");
            }
            first = false;
            appendJsonString(sb, e.getKey().toString());
            sb.append(": ");
            appendJson(sb, e.getValue());
        }
        sb.append('}');
    }

    private static void appendJson(StringBuilder sb, Object value) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof Boolean b) {
            sb.append(b);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("JSON has no number " + value);
            }
            sb.append(value);
        } else if (value instanceof BigDecimal d) {
            sb.append(d.toPlainString());
        } else if (value instanceof Number) {
            sb.append(value);
        } else if (value instanceof Map<?, ?> m) {
            appendJsonObject(sb, m);
        } else if (value instanceof List<?> || value instanceof Object[]) {
            List<?> list = value instanceof List<?> l ? l : Arrays.asList((Object[]) value);
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                sb.append(i > 0 ? ", " : "");
                appendJson(sb, list.get(i));
            }
            sb.append(']');
        } else {
            appendJsonString(sb, PgBinaryCodec.toText(value));
        }
    }

    private static void appendJsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
