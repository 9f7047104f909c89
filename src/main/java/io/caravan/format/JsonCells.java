package io.caravan.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.batch.Column;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON forms of column values, shared by the JSONL format (one value per key) and the CSV format (nested values as
 * JSON text). The forms, by {@link ColumnType.Kind}:
 * <ul>
 *   <li>booleans and numbers as JSON literals; BigDecimal exact and without exponent ({@code 12.50}); NaN and
 *       ±Infinity (float and numeric) as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"};</li>
 *   <li>date {@code "2024-05-31"}, timestamp {@code "2024-05-31T13:05:09.123456"}, timestamptz at UTC
 *       {@code "2024-05-31T13:05:09.123456Z"} (ISO-8601, fraction only as long as needed); ±infinity as
 *       {@code "infinity"}/{@code "-infinity"} (PostgreSQL's words);</li>
 *   <li>json/jsonb as the JSON value itself when the text is valid JSON (line breaks between tokens become spaces,
 *       so each row stays on one line), else as a JSON string (such text, which only a {@code process_dict} step
 *       can produce, reads back as the JSON string literal, quotes included; the JSON value {@code null} reads back
 *       as SQL NULL);</li>
 *   <li>bytea as a base64 string (RFC 4648, with padding);</li>
 *   <li>arrays as JSON arrays (nested for more dimensions), NULL elements as {@code null};</li>
 *   <li>everything else (text, uuid, time, timetz, interval, inet, ...) as a JSON string.</li>
 * </ul>
 */
final class JsonCells {

    /** Factory for reading and writing: BigDecimal as plain digits, NaN as strings, exact decimals. */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();

    /** Writes Map and List values of json columns (from {@code process_dict} steps). */
    static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private JsonCells() {
    }

    /**
     * Writes one value in its JSON form.
     *
     * @param g the generator; never null
     * @param t the column's type; never null
     * @param v the value as {@link Values#canonical} returns it; may be null
     */
    static void write(JsonGenerator g, ColumnType t, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
            return;
        }
        switch (t.kind()) {
            case BOOLEAN -> g.writeBoolean((Boolean) v);
            case INT16, INT32, INT64 -> g.writeNumber(((Number) v).longValue());
            case FLOAT32 -> g.writeNumber((Float) v);
            case FLOAT64 -> g.writeNumber((Double) v);
            case DECIMAL, NUMERIC_TEXT -> {
                if (v instanceof BigDecimal d) {
                    g.writeNumber(d);
                } else {
                    g.writeNumber((Double) v);
                }
            }
            case JSON -> writeJson(g, v);
            case DATE, TIMESTAMP, TIMESTAMPTZ -> g.writeString(temporalText(v));
            case BYTES -> g.writeBinary((byte[]) v);
            case LIST -> {
                g.writeStartArray();
                for (Object e : (List<?>) v) {
                    write(g, e instanceof List<?> ? t : t.element(), e);
                }
                g.writeEndArray();
            }
            default -> g.writeString((String) v);
        }
    }

    /**
     * @param t the column's type; never null
     * @param v the value as {@link Values#canonical} returns it; never null
     * @return the JSON text of the value
     */
    static String jsonText(ColumnType t, Object v) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            write(g, t, v);
        } catch (IOException e) {
            throw new IllegalStateException("writing to a string failed", e);
        }
        return w.toString();
    }

    private static void writeJson(JsonGenerator g, Object v) throws IOException {
        if (v instanceof String s) {
            if (isJson(s)) {
                g.writeRawValue(s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0
                        ? s.replace('\n', ' ').replace('\r', ' ') : s);
            } else {
                g.writeString(s);
            }
        } else {
            MAPPER.writeValue(g, v);
        }
    }

    /** @return true when {@code s} is exactly one JSON value */
    static boolean isJson(String s) {
        try (JsonParser p = FACTORY.createParser(s)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * @param v a LocalDate, LocalDateTime or OffsetDateTime (at UTC)
     * @return its ISO-8601 text, or {@code infinity}/{@code -infinity}
     */
    static String temporalText(Object v) {
        if (v instanceof LocalDate d) {
            return d.equals(LocalDate.MAX) ? "infinity" : d.equals(LocalDate.MIN) ? "-infinity"
                    : DateTimeFormatter.ISO_LOCAL_DATE.format(d);
        }
        if (v instanceof LocalDateTime t) {
            return t.equals(LocalDateTime.MAX) ? "infinity" : t.equals(LocalDateTime.MIN) ? "-infinity"
                    : DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
        }
        OffsetDateTime t = (OffsetDateTime) v;
        return t.equals(OffsetDateTime.MAX) ? "infinity" : t.equals(OffsetDateTime.MIN) ? "-infinity"
                : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
    }

    /**
     * Reads one value at the parser's current token (the value's first token), leaving the parser on its last token.
     *
     * @param p      the parser over {@code source}; never null
     * @param c      the column, for error messages; never null
     * @param t      the column's type; never null
     * @param source the text the parser reads (for the raw text of json values); never null
     * @return the value in the type {@code read()} documents, or null for JSON null
     * @throws IllegalArgumentException naming the column when the token does not fit the type
     */
    static Object read(JsonParser p, Column c, ColumnType t, String source) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t.kind() == ColumnType.Kind.JSON) {
            int start = (int) p.currentTokenLocation().getCharOffset();
            if (token.isStructStart()) {
                p.skipChildren();
            } else {
                p.finishToken();
            }
            int end = (int) p.currentLocation().getCharOffset();
            return source.substring(start, end);
        }
        if (t.kind() == ColumnType.Kind.LIST) {
            if (token != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException(Values.describe(c) + ": expected a JSON array but found "
                        + token);
            }
            List<Object> list = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                list.add(read(p, c, p.currentToken() == JsonToken.START_ARRAY ? t : t.element(), source));
            }
            return list;
        }
        if (t.kind() == ColumnType.Kind.BYTES) {
            return p.getBinaryValue();
        }
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            return switch (t.kind()) {
                case INT16 -> p.getShortValue();
                case INT32 -> p.getIntValue();
                case INT64 -> p.getLongValue();
                case FLOAT32 -> p.getFloatValue();
                case FLOAT64 -> p.getDoubleValue();
                case DECIMAL, NUMERIC_TEXT -> p.getDecimalValue();
                default -> fromText(c, t, p.getText());
            };
        }
        return fromText(c, t, token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE
                ? p.getText() : p.getValueAsString());
    }

    /**
     * A scalar from its text form (a JSON string's content, or a CSV cell).
     *
     * @param c    the column, for error messages; never null
     * @param t    the column's type, not LIST or JSON; never null
     * @param text the text; never null
     * @return the value in the type {@code read()} documents
     * @throws IllegalArgumentException naming the column when the text does not parse
     */
    static Object fromText(Column c, ColumnType t, String text) {
        try {
            return switch (t.kind()) {
                case BOOLEAN -> switch (text) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException("not a boolean");
                };
                case INT16 -> Short.parseShort(text);
                case INT32 -> Integer.parseInt(text);
                case INT64 -> Long.parseLong(text);
                case FLOAT32 -> Float.parseFloat(text);
                case FLOAT64 -> Double.parseDouble(text);
                case DECIMAL, NUMERIC_TEXT -> switch (text) {
                    case "NaN" -> Double.NaN;
                    case "Infinity" -> Double.POSITIVE_INFINITY;
                    case "-Infinity" -> Double.NEGATIVE_INFINITY;
                    default -> new BigDecimal(text);
                };
                case DATE -> switch (text) {
                    case "infinity" -> LocalDate.MAX;
                    case "-infinity" -> LocalDate.MIN;
                    default -> LocalDate.parse(text);
                };
                case TIMESTAMP -> switch (text) {
                    case "infinity" -> LocalDateTime.MAX;
                    case "-infinity" -> LocalDateTime.MIN;
                    default -> LocalDateTime.parse(text);
                };
                case TIMESTAMPTZ -> switch (text) {
                    case "infinity" -> OffsetDateTime.MAX;
                    case "-infinity" -> OffsetDateTime.MIN;
                    default -> OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
                };
                case BYTES -> java.util.Base64.getDecoder().decode(text);
                default -> text;
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(Values.describe(c) + ": cannot read '" + Values.show(text) + "': "
                    + e.getMessage(), e);
        }
    }
}
