package io.caravan.dialect.postgres;

import io.caravan.batch.Column;
import io.caravan.batch.RowData;
import io.caravan.batch.TableShape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Decodes binary COPY tuples into records (column name to Java value), for per-record steps. */
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
        byte[] b = rows.tuples();
        int p = 0;
        while (p < rows.length()) {
            int fields = (short) (((b[p] & 0xff) << 8) | (b[p + 1] & 0xff));
            if (fields != columns.size()) {
                throw new IllegalArgumentException("tuple has " + fields + " fields, expected " + columns.size());
            }
            p += 2;
            Map<String, Object> record = new LinkedHashMap<>();
            for (Column c : columns) {
                int len = ((b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8)
                        | (b[p + 3] & 0xff);
                p += 4;
                record.put(c.name(), len < 0 ? null : PgBinaryCodec.decode(c.typeOid(), b, p, len));
                p += Math.max(len, 0);
            }
            out.add(record);
        }
        return out;
    }
}
