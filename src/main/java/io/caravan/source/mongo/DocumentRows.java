package io.caravan.source.mongo;

import io.caravan.batch.Column;
import io.caravan.batch.TableShape;
import io.caravan.mapping.SourceOptions.FieldType;
import io.caravan.source.FieldCasts;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns MongoDB documents into rows: {@code _id} as the text primary key, each top-level field a column.
 *
 * <p>Columns, in this order: {@code _id text NOT NULL}, then every other field by name. A field declared in
 * {@code fields} gets its cast's type ({@link FieldCasts#column}) whether or not a document has it. Any other field
 * is a string ({@code text}), except that with {@code strict: true} a field of which some value is a nested document
 * or an array is {@code jsonb} (its scalar values then become JSON scalars).
 *
 * <p>Values: {@code _id} as its text (an ObjectId's 24 hex digits, a string as it is, another value as JSON);
 * declared fields cast by {@link FieldCasts} (Decimal128 read as a decimal first); text columns get strings as
 * they are, numbers and booleans as Java prints them, dates as ISO-8601 instants ({@code 2024-05-01T10:00:00Z}),
 * ObjectIds as hex, and nested documents, arrays and other BSON values as JSON; jsonb columns get JSON. JSON is
 * MongoDB's relaxed Extended JSON, with ObjectIds as hex strings, dates as ISO-8601 strings and decimals as numbers.
 */
final class DocumentRows {

    static final String ID = "_id";
    private static final int TEXT_OID = 25;
    private static final int JSONB_OID = 3802;

    /** JSON of nested values (see the class comment). */
    static final JsonWriterSettings JSON = JsonWriterSettings.builder()
            .outputMode(JsonMode.RELAXED)
            .objectIdConverter((v, w) -> w.writeString(v.toHexString()))
            .dateTimeConverter((v, w) -> w.writeString(new Date(v).toInstant().toString()))
            .decimal128Converter((v, w) -> {
                if (v.isNaN() || v.isInfinite()) {
                    w.writeString(v.toString());
                } else {
                    w.writeNumber(v.toString());
                }
            })
            .build();

    private final TableShape shape;
    private final FieldCasts casts;
    private final Set<String> jsonb = new TreeSet<>();

    /**
     * @param shape the run's shape, from {@link #shape}; never null
     * @param casts the run's casts; never null
     */
    DocumentRows(TableShape shape, FieldCasts casts) {
        this.shape = shape;
        this.casts = casts;
        for (Column c : shape.columns()) {
            if (c.typeOid() == JSONB_OID) {
                jsonb.add(c.name());
            }
        }
    }

    /**
     * Adds a document's top-level fields to {@code found}: field name to whether some value of it is a nested
     * document or an array.
     */
    static void scan(Document d, Map<String, Boolean> found) {
        for (Map.Entry<String, Object> e : d.entrySet()) {
            boolean nested = isNested(e.getValue());
            found.merge(e.getKey(), nested, Boolean::logicalOr);
        }
    }

    private static boolean isNested(Object v) {
        return v instanceof Map || v instanceof List;
    }

    /**
     * @param found  field name to whether a value of it is nested, from {@link #scan}; never null
     * @param casts  the declared fields
     * @param strict the table's {@code strict}
     * @return the shape of the run (see the class comment); primary key {@code _id}
     */
    static TableShape shape(Map<String, Boolean> found, FieldCasts casts, boolean strict) {
        Map<String, Boolean> fields = new TreeMap<>(found);
        casts.fields().keySet().forEach(f -> fields.putIfAbsent(f, false));
        fields.remove(ID);
        List<Column> columns = new ArrayList<>();
        columns.add(new Column(ID, "text", TEXT_OID, true));
        fields.forEach((name, nested) -> {
            FieldType type = casts.typeOf(name);
            if (type != null) {
                columns.add(FieldCasts.column(name, type));
            } else if (nested && strict) {
                columns.add(new Column(name, "jsonb", JSONB_OID, false));
            } else {
                columns.add(new Column(name, "text", TEXT_OID, false));
            }
        });
        return new TableShape(columns, List.of(ID));
    }

    /**
     * @param d a document read
     * @return column name to value, for every column of the shape; null values where the document has no field
     * @throws UnknownFieldException when the document has a field the shape lacks (it appeared after the run's
     *                               first pass)
     */
    Map<String, Object> row(Document d) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Column c : shape.columns()) {
            row.put(c.name(), null);
        }
        for (Map.Entry<String, Object> e : d.entrySet()) {
            String name = e.getKey();
            if (!row.containsKey(name)) {
                throw new UnknownFieldException(name, idText(d.get(ID)));
            }
            row.put(name, value(name, e.getValue()));
        }
        return row;
    }

    private Object value(String name, Object v) {
        if (v == null) {
            return null;
        }
        if (name.equals(ID)) {
            return idText(v);
        }
        if (casts.typeOf(name) != null) {
            return casts.apply(name, v instanceof Decimal128 dec && dec.isFinite() ? dec.bigDecimalValue() : v);
        }
        if (jsonb.contains(name)) {
            return json(v);
        }
        return text(v);
    }

    /** @return the text of an {@code _id}: an ObjectId's hex, a string as it is, else JSON */
    static String idText(Object id) {
        if (id instanceof ObjectId o) {
            return o.toHexString();
        }
        if (id instanceof String s) {
            return s;
        }
        return id == null ? null : json(id);
    }

    private static String text(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof Date d) {
            return d.toInstant().toString();
        }
        if (v instanceof ObjectId o) {
            return o.toHexString();
        }
        return json(v);
    }

    /** @return {@code v} as JSON (see the class comment) */
    static String json(Object v) {
        String wrapped = new Document("v", v).toJson(JSON);
        // {"v": <value>}
        return wrapped.substring(wrapped.indexOf(':') + 1, wrapped.length() - 1).strip();
    }

    /** A document carries a field that the run's shape, fixed at its start, does not have. */
    static final class UnknownFieldException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String field;
        final String id;

        UnknownFieldException(String field, String id) {
            super("field " + field + " of document " + id + " is not among the run's columns");
            this.field = field;
            this.id = id;
        }
    }
}
