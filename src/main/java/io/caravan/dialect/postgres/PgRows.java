package io.caravan.dialect.postgres;

import io.caravan.batch.Column;
import io.caravan.batch.RowData;
import io.caravan.batch.TableShape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a batch's rows into Java values (as {@link PgBinaryCodec#decode} returns them): records (column name to
 * value) for per-record steps, or value arrays in column order for destinations that are not PostgreSQL.
 */
public final class PgRows {

    private PgRows() {
    }

    /**
     * @param shape the columns of the tuples, in order; never null
     * @param rows  binary tuples; never null
     * @return one mutable record per tuple, keys in column order
     * @throws IllegalArgumentException when a tuple does not match the shape
     */
    public static List<Map<String, Object>> decode(TableShape shape, RowData.Binary rows) {
        List<Column> columns = shape.columns();
        List<Map<String, Object>> out = new ArrayList<>(rows.rowCount());
        for (Object[] values : tuples(columns, rows)) {
            Map<String, Object> record = new LinkedHashMap<>();
            for (int i = 0; i < values.length; i++) {
                record.put(columns.get(i).name(), values[i]);
            }
            out.add(record);
        }
        return out;
    }

    /** @return one array per tuple, values in column order */
    private static List<Object[]> tuples(List<Column> columns, RowData.Binary rows) {
        List<Object[]> out = new ArrayList<>(rows.rowCount());
        byte[] b = rows.tuples();
        int p = 0;
        while (p < rows.length()) {
            int fields = (short) (((b[p] & 0xff) << 8) | (b[p + 1] & 0xff));
            if (fields != columns.size()) {
                throw new IllegalArgumentException("tuple has " + fields + " fields, expected " + columns.size());
            }
            p += 2;
            Object[] values = new Object[fields];
            for (int i = 0; i < fields; i++) {
                int len = ((b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8)
                        | (b[p + 3] & 0xff);
                p += 4;
                values[i] = len < 0 ? null : PgBinaryCodec.decode(columns.get(i).typeOid(), b, p, len);
                p += Math.max(len, 0);
            }
            out.add(values);
        }
        return out;
    }

    /**
     * @param shape the columns of the rows, in order; never null
     * @param rows  binary tuples, or records whose keys are columns of {@code shape} (missing keys are NULL); never
     *              null
     * @return one array per row, values in the order of {@code shape.columns()}, null for SQL NULL
     * @throws IllegalArgumentException when a tuple does not match the shape, or a record has a key that is not a
     *                                  column (the message names the key and the columns)
     */
    public static List<Object[]> values(TableShape shape, RowData rows) {
        List<Column> columns = shape.columns();
        if (rows instanceof RowData.Binary b) {
            return tuples(columns, b);
        }
        List<Map<String, Object>> records = ((RowData.Records) rows).records();
        List<Object[]> out = new ArrayList<>(records.size());
        for (Map<String, Object> r : records) {
            Object[] v = new Object[columns.size()];
            int found = 0;
            for (int i = 0; i < v.length; i++) {
                String name = columns.get(i).name();
                v[i] = r.get(name);
                if (v[i] != null || r.containsKey(name)) {
                    found++;
                }
            }
            if (found != r.size()) {
                for (String k : r.keySet()) {
                    if (shape.indexOf(k) < 0) {
                        throw new IllegalArgumentException("a record has key '" + k + "' that the table does not have"
                                + " (columns: " + columns.stream().map(Column::name).toList()
                                + "); drop or rename it in process_dict");
                    }
                }
            }
            out.add(v);
        }
        return out;
    }
}
