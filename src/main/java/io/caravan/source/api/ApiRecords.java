package io.caravan.source.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.batch.Column;
import io.caravan.batch.TableShape;
import io.caravan.mapping.KeyType;
import io.caravan.mapping.SourceOptions.FieldType;
import io.caravan.mapping.TableSpec;
import io.caravan.source.FieldCasts;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * How the JSON records of an API become rows: the shape (the union of the top-level fields of the records a run
 * read) and each record's values.
 *
 * <p>Columns, in the order their fields first appear in the run, then the {@code fields} entries no record had:
 * <ul>
 *   <li>the {@code primary_key} field: by {@code primary_key_datatype}, int {@code bigint}, datetime
 *       {@code timestamp with time zone}, uuid {@code uuid}, str {@code text}; NOT NULL unless dumping;</li>
 *   <li>a {@code fields} entry: the type {@link FieldCasts#column} gives, its values cast by {@link FieldCasts}
 *       (the seed's defaults when a value will not cast);</li>
 *   <li>a field holding a JSON object or array in any record of the run: {@code jsonb} when {@code strict} (every
 *       value of it written as JSON), else {@code text} holding the JSON;</li>
 *   <li>every other field: {@code text} (strings as they are, numbers and booleans as their JSON text).</li>
 * </ul>
 * A field first seen in a later run is added to the destination table by the destination (it adds missing
 * columns); a field whose values turn from scalars into objects across runs keeps the type its column got first.
 */
final class ApiRecords {

    private static final int TEXT = 25;
    private static final int JSONB = 3802;

    private final TableSpec table;
    private final FieldCasts casts;
    private final Set<String> seen = new LinkedHashSet<>();
    private final Set<String> nested = new LinkedHashSet<>();

    /**
     * @param table the {@code apis} entry; never null
     * @param casts the run's casts of its {@code fields}; never null
     */
    ApiRecords(TableSpec table, FieldCasts casts) {
        this.table = table;
        this.casts = casts;
    }

    /** Notes the fields of one record kept by the run. */
    void observe(JsonNode record) {
        for (Map.Entry<String, JsonNode> e : record.properties()) {
            seen.add(e.getKey());
            if (e.getValue().isContainerNode()) {
                nested.add(e.getKey());
            }
        }
    }

    /**
     * @return the shape of the records observed; null when there is no column at all (no record, and the mapping
     *         names neither a primary key, a bookmark nor {@code fields})
     */
    TableShape shape() {
        Set<String> names = new LinkedHashSet<>(seen);
        if (table.primaryKey() != null) {
            names.add(table.primaryKey());
        }
        if (table.bookmark() != null) {
            names.add(table.bookmark());
        }
        names.addAll(casts.fields().keySet());
        if (names.isEmpty()) {
            return null;
        }
        List<Column> columns = new ArrayList<>();
        for (String name : names) {
            columns.add(column(name));
        }
        return new TableShape(columns, table.primaryKey() == null ? List.of() : List.of(table.primaryKey()));
    }

    private Column column(String name) {
        if (name.equals(table.primaryKey()) && table.primaryKeyDatatype() != null) {
            boolean notNull = table.mode() != io.caravan.mapping.Mode.DUMPING;
            return switch (table.primaryKeyDatatype()) {
                case INT -> new Column(name, "bigint", 20, notNull);
                case DATETIME -> new Column(name, "timestamp with time zone", 1184, notNull);
                case UUID -> new Column(name, "uuid", 2950, notNull);
                case STR -> new Column(name, "text", TEXT, notNull);
            };
        }
        FieldType type = casts.typeOf(name);
        if (type != null) {
            return FieldCasts.column(name, type);
        }
        if (nested.contains(name) && table.strict()) {
            return new Column(name, "jsonb", JSONB, false);
        }
        return new Column(name, "text", TEXT, false);
    }

    /**
     * @param shape  the run's shape; never null
     * @param record a JSON object of the run
     * @return column name to value, for every column of the shape (missing fields null)
     * @throws IllegalArgumentException naming the field when the primary key's value does not fit its type
     */
    Map<String, Object> row(TableShape shape, JsonNode record) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Column c : shape.columns()) {
            JsonNode v = record.get(c.name());
            row.put(c.name(), value(c, v));
        }
        return row;
    }

    private Object value(Column c, JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (c.name().equals(table.primaryKey()) && table.primaryKeyDatatype() != null) {
            return key(table.primaryKeyDatatype(), c.name(), v);
        }
        if (casts.typeOf(c.name()) != null) {
            return casts.apply(c.name(), javaValue(v));
        }
        if (c.typeOid() == JSONB || v.isContainerNode()) {
            return v.toString();
        }
        return v.asText();
    }

    /** @return a JSON value as FieldCasts takes it: String, Long, BigDecimal, Boolean, or JSON text */
    static Object javaValue(JsonNode v) {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        return v.toString();
    }

    private static Object key(KeyType type, String field, JsonNode v) {
        String text = v.asText();
        try {
            return switch (type) {
                case INT -> v.isIntegralNumber() && v.canConvertToLong() ? v.longValue() : Long.parseLong(text.strip());
                case DATETIME -> {
                    OffsetDateTime t = FieldCasts.parseTimestamp(text);
                    if (t == null) {
                        throw new IllegalArgumentException("not an ISO-8601 timestamp");
                    }
                    yield t;
                }
                case UUID -> UUID.fromString(text.strip());
                case STR -> v.isContainerNode() ? v.toString() : text;
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("primary key field '" + field + "' has value " + v + ", which is not "
                    + type.wireValue() + " (primary_key_datatype): " + e.getMessage(), e);
        }
    }

    /**
     * Orders two positions (bookmark or key values as their JSON text): numerically when both are numbers, by instant
     * when both are ISO-8601 timestamps, else as text.
     *
     * @return negative, zero or positive as {@code a} is before, at or after {@code b}
     */
    static int compare(String a, String b) {
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        if (x != null && y != null) {
            return x.compareTo(y);
        }
        OffsetDateTime s = a.length() >= 10 ? FieldCasts.parseTimestamp(a) : null;
        OffsetDateTime t = s == null || b.length() < 10 ? null : FieldCasts.parseTimestamp(b);
        if (s != null && t != null) {
            return s.compareTo(t);
        }
        return a.compareTo(b);
    }

    private static BigDecimal number(String s) {
        try {
            return new BigDecimal(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * @param v a field's value
     * @return the value as a position (sent as {@code bookmark_param}, kept in the cursor): its JSON text, strings
     *         unquoted; null for a missing or null value
     */
    static String position(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() ? null : v.isContainerNode() ? v.toString() : v.asText();
    }
}
