package io.caravan.source.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.batch.Column;
import io.caravan.batch.TableShape;
import io.caravan.mapping.Mode;
import io.caravan.mapping.SourceOptions.FieldType;
import io.caravan.mapping.TableSpec;
import io.caravan.source.FieldCasts;
import io.caravan.source.SourceException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a topic's JSON records into rows (DMS seed, "Topics"): top-level fields become columns, {@code fields}
 * casts them ({@link FieldCasts}, the rules shared with MongoDB and HTTP API sources), {@code col_rename} renames them; every other value is text (nested objects and arrays as their JSON
 * text). A value that is not a JSON object becomes the column {@code value}. The primary key column comes first:
 * <ul>
 *   <li>{@code primary_key} when the topic names one (after {@code col_rename});</li>
 *   <li>else, syncing: {@value #KEY_COLUMN}, the record key;</li>
 *   <li>else, logging: {@value #MESSAGE_ID_COLUMN}, {@code <topic>-<partition>-<offset>}, so that a record written
 *       again after a crash is already there (insert-if-absent).</li>
 * </ul>
 */
final class RecordRows {

    /** Column of the record key, the primary key of a syncing topic without {@code primary_key}. */
    static final String KEY_COLUMN = "_key";
    /** Column of the record's Kafka id, the primary key of a logging topic without {@code primary_key}. */
    static final String MESSAGE_ID_COLUMN = "_message_id";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TEXT_OID = 25;

    private final String topic;
    private final Map<String, FieldType> fields;
    private final FieldCasts casts;
    private final Map<String, String> rename;
    private final String keyColumn;
    private final Mode mode;

    RecordRows(TableSpec table) {
        this.topic = table.tableName();
        this.fields = table.options().fields();
        this.casts = new FieldCasts(fields);
        this.rename = table.options().colRename();
        this.mode = table.mode();
        this.keyColumn = table.primaryKey() != null ? table.primaryKey()
                : mode == Mode.SYNCING ? KEY_COLUMN : MESSAGE_ID_COLUMN;
    }

    /** @return the primary key column of the rows */
    String keyColumn() {
        return keyColumn;
    }

    /** @return the casts of the topic's {@code fields}, which count the values that fell back to the default */
    FieldCasts casts() {
        return casts;
    }

    /**
     * @param m a record with a value
     * @return column name to value (String, Long, Double, Boolean, OffsetDateTime or null), in field order
     * @throws SourceException naming the topic, partition and offset when the value is not JSON or lacks the key
     */
    Map<String, Object> row(Message m) {
        JsonNode node;
        try {
            node = JSON.readTree(m.value());
        } catch (JsonProcessingException e) {
            throw new SourceException("topic " + topic + " record " + m.id(topic) + " is not JSON: "
                    + e.getOriginalMessage(), e);
        }
        Map<String, Object> row = new LinkedHashMap<>();
        if (!keyColumn.equals(KEY_COLUMN) && !keyColumn.equals(MESSAGE_ID_COLUMN)) {
            row.put(keyColumn, null);
        } else {
            row.put(keyColumn, keyColumn.equals(KEY_COLUMN) ? m.key() : m.id(topic));
        }
        if (node.isObject()) {
            node.properties().forEach(e -> row.put(rename.getOrDefault(e.getKey(), e.getKey()),
                    value(e.getKey(), e.getValue())));
        } else {
            row.put(rename.getOrDefault("value", "value"), value("value", node));
        }
        if (row.get(keyColumn) == null) {
            throw new SourceException("topic " + topic + " record " + m.id(topic) + " has no " + keyColumn
                    + (keyColumn.equals(KEY_COLUMN) ? " (record key)" : "") + ": a " + mode.wireValue()
                    + " topic's rows are keyed by it", null);
        }
        return row;
    }

    /** A declared field's JSON value goes to {@link FieldCasts} as the Java value Jackson gives; others are text. */
    private Object value(String field, JsonNode v) {
        if (fields.containsKey(field)) {
            Object java = v.isNull() ? null : v.isNumber() ? v.numberValue() : v.isBoolean() ? v.booleanValue()
                    : v.isTextual() ? v.textValue() : v.toString();
            return casts.apply(field, java);
        }
        if (v.isNull()) {
            return null;
        }
        return v.isContainerNode() ? v.toString() : v.asText();
    }

    /**
     * @param rows rows of the run's first batch; may be empty
     * @return the key column, the columns of the rows in order of appearance, then the {@code fields} (renamed)
     *         the rows lack, by name
     */
    TableShape shape(List<Map<String, Object>> rows) {
        Map<String, Column> columns = new LinkedHashMap<>();
        columns.put(keyColumn, column(keyColumn, true));
        for (Map<String, Object> r : rows) {
            r.keySet().forEach(c -> columns.computeIfAbsent(c, n -> column(n, false)));
        }
        new java.util.TreeSet<>(fields.keySet()).forEach(f -> columns.computeIfAbsent(rename.getOrDefault(f, f),
                n -> column(n, false)));
        return new TableShape(new ArrayList<>(columns.values()), List.of(keyColumn));
    }

    private Column column(String name, boolean key) {
        FieldType type = null;
        for (Map.Entry<String, FieldType> f : fields.entrySet()) {
            if (rename.getOrDefault(f.getKey(), f.getKey()).equals(name)) {
                type = f.getValue();
            }
        }
        if (type == null) {
            return new Column(name, "text", TEXT_OID, key);
        }
        Column c = FieldCasts.column(name, type);
        return new Column(name, c.sqlType(), c.typeOid(), key);
    }
}
